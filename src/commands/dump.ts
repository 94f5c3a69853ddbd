// `aup dump`: reads the policy's instance once (live, read-only, with the named groups; or a snapshot file) and
// writes a policy that reproduces it (src/app/dump.ts) to --out or standard output.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DumpError, dumpPolicy } from '../app/dump.ts';
import { driverFor } from '../platforms/registry.ts';
import { loadPolicy } from '../policy/load.ts';
import { plural } from '../plural.ts';
import { liveUrl, type LiveArgs, readOneSnapshot } from './connection.ts';
import { CliError, type Io } from './plan.ts';

export interface DumpArgs extends LiveArgs {
  snapshot?: string;
  groups: string[];
  /** The policy file to write; none = standard output. */
  outFile?: string;
  /** The working directory relative paths are taken from (default: process.cwd()). */
  cwd?: string;
}

/** Where the package's schema sits in a policy repository that installed aup (README, "With the CLI"). */
export const INSTALLED_SCHEMA = 'node_modules/atlassian-user-policy/schema/policy.v1.json';

const SCHEMA_LINE = /^#\s*yaml-language-server:\s*\$schema=(\S+)/m;

/**
 * `$schema=` for the written file: the input policy's own schema reference (a URL as it is; a path re-pointed
 * from the written file's directory), else the installed package's schema.
 */
export function schemaRefFor(o: {
  policyPath: string;
  policyText: string;
  outFile?: string;
  cwd: string;
}): string {
  const own = SCHEMA_LINE.exec(o.policyText)?.[1];
  if (own && /^[a-z][a-z0-9+.-]*:\/\//i.test(own)) return own;
  const target = own
    ? path.resolve(o.cwd, path.dirname(o.policyPath), own)
    : path.resolve(o.cwd, INSTALLED_SCHEMA);
  const from = o.outFile ? path.dirname(path.resolve(o.cwd, o.outFile)) : o.cwd;
  return path.relative(from, target).split(path.sep).join('/');
}

export async function dumpCommand(args: DumpArgs, io: Io): Promise<number> {
  const cwd = args.cwd ?? process.cwd();
  const resolved = await loadPolicy(args.policy);
  const policyText = await readFile(path.resolve(cwd, args.policy), 'utf8');
  // The URL read, unless it is only the platform's own default (Cloud's API host): the policy need not say it.
  const live = args.snapshot ? undefined : liveUrl(resolved, args);
  const platformDefault = driverFor(resolved.policy.instance.platform)?.defaultUrl;
  const url = live === platformDefault && !resolved.policy.instance.url ? undefined : live;
  const snapshot = await readOneSnapshot(resolved, args, io, { extraGroups: args.groups });
  let dumped;
  try {
    dumped = dumpPolicy({
      snapshot,
      policy: resolved.policy,
      groups: args.groups,
      ...(url ? { url } : {}),
      schemaRef: schemaRefFor({ policyPath: args.policy, policyText, outFile: args.outFile, cwd }),
      now: args.now,
    });
  } catch (e) {
    if (e instanceof DumpError) throw new CliError(e.message);
    throw e;
  }
  if (!args.outFile) {
    io.out(dumped.text.trimEnd());
    return 0;
  }
  await writeFile(path.resolve(cwd, args.outFile), dumped.text);
  const groups = dumped.groups.map((g) => `${g.name} (${plural(g.members, 'member')})`).join(', ');
  io.err(
    `wrote ${args.outFile}: ${plural(dumped.groups.length, 'group')} as mode: exact${groups ? ` — ${groups}` : ''}; ` +
      `starter rules commented out: ${dumped.starters.map((s) => `${s.name} ${plural(s.users, 'user')}`).join(', ') || 'none'}`,
  );
  return 0;
}
