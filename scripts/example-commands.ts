// The README's example outputs of aup list, export, dump and import-check: the real commands, run in-process
// against the sandbox's Jira Data Center demo organisation at a fixed date (as the example comment is), with the
// sandbox's random local URL shown as https://jira.example.com and temporary paths as the paths a user would type.
// `npm run docs` writes them into the README; a test fails when they drift.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../src/cli.ts';
import type { Io } from '../src/commands/plan.ts';
import { CREDENTIAL_SOURCES } from '../src/platforms/credentials.ts';
import { demoScenario, startSandbox } from '../src/sandbox/index.ts';
import { EXAMPLE_NOW } from './example-comment.ts';

const POLICY = 'policies/example.yml';
/** The terminal width the table is shown at. */
const COLUMNS = 120;

/** An import file with the mistakes people make: checked against the instance. */
export const EXAMPLE_IMPORT = `username,email,display_name,state,groups
nina.new,nina.new@example.com,Nina New,active,developers;qa
omar.new,omar.new@example,Omar New,active,developers
karin.braun,,,absent,
paul.new,paul.new@example.com,Paul New,active,desing
`;

export interface CommandExamples {
  list: string;
  export: string;
  dump: string;
  importCheck: string;
}

/** `$ command` and what it printed, stdout and stderr in the order a terminal shows them. */
async function run(argv: string[], shown: string, clean: (s: string) => string): Promise<string> {
  const lines: string[] = [];
  const io: Io = { color: false, out: (t) => lines.push(t), err: (t) => lines.push(t), columns: COLUMNS };
  const code = await main(argv, io);
  if (code > 1) throw new Error(`${shown}: exit code ${code}\n${lines.join('\n')}`);
  const printed = lines.filter((l) => !l.startsWith('HTTP: ')).join('\n');
  return clean(`$ ${shown}\n${printed}`);
}

export async function commandExamples(now = EXAMPLE_NOW): Promise<CommandExamples> {
  const sandbox = await startSandbox({
    version: '10.3',
    scenario: demoScenario(now),
    now,
    clock: () => now.getTime(),
  });
  const dir = await mkdtemp(path.join(tmpdir(), 'aup-docs-'));
  const c = sandbox.credentials;
  const env: Record<string, string> = {
    ATLASSIAN_URL: sandbox.url,
    [CREDENTIAL_SOURCES.token.env]: c.token,
    [CREDENTIAL_SOURCES.username.env]: '',
    [CREDENTIAL_SOURCES.password.env]: '',
    [CREDENTIAL_SOURCES.appName.env]: c.appName,
    [CREDENTIAL_SOURCES.appPassword.env]: c.appPassword,
  };
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  const clean = (s: string) =>
    s.replaceAll(sandbox.url, 'https://jira.example.com').replaceAll(`${dir}${path.sep}`, '');
  const at = ['--now', now.toISOString().slice(0, 10)];
  try {
    const list = await run(
      [
        'list',
        POLICY,
        ...at,
        '--status',
        'active',
        '--inactive-days',
        '180',
        '--email',
        '*@corp.example.com',
      ],
      "aup list policies/example.yml --status active --inactive-days 180 --email '*@corp.example.com'",
      clean,
    );
    const out = path.join(dir, 'out');
    const exported = await run(
      ['export', POLICY, ...at, '--out', out],
      'aup export policies/example.yml --out out',
      clean,
    );
    const head = async (file: string, n: number) =>
      (await readFile(path.join(out, file), 'utf8')).split('\n').slice(0, n).join('\n');
    const exportText = [
      exported,
      '$ head -3 out/inventory.csv',
      await head('inventory.csv', 3),
      '$ cat out/groups.csv',
      (await readFile(path.join(out, 'groups.csv'), 'utf8')).trimEnd(),
    ].join('\n');
    const dump = await run(
      ['dump', POLICY, ...at, '--groups', 'jira-administrators'],
      'aup dump policies/example.yml --groups jira-administrators',
      clean,
    );
    const csv = path.join(dir, 'users.csv');
    await writeFile(csv, EXAMPLE_IMPORT);
    const importCheck = await run(
      ['import-check', csv, '--policy', POLICY],
      'aup import-check users.csv --policy policies/example.yml',
      clean,
    );
    return {
      list,
      export: exportText,
      dump,
      importCheck: `$ cat users.csv\n${EXAMPLE_IMPORT.trimEnd()}\n${importCheck}`,
    };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await rm(dir, { recursive: true, force: true });
    await sandbox.close();
  }
}

/** A README block: the session as a console code block. */
export function consoleBlock(text: string): string {
  return `\`\`\`console\n${text}\n\`\`\``;
}
