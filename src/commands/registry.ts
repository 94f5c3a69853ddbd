// Commands that talk to an instance (live plan, apply, export, list, dump, import-check) or serve the sandbox, keyed
// by name.
import { userInfo } from 'node:os';
import { type CliValues, parseFormat, parseNow } from '../cli.ts';
import { runSandboxCommand } from '../sandbox/index.ts';
import { demoCommand } from './demo.ts';
import { dumpCommand } from './dump.ts';
import { exportCommand } from './export.ts';
import { importCheckCommand } from './import-check.ts';
import type { ListFilters, ListFormat } from './list.ts';
import { listCommand } from './list-command.ts';
import { applyCommand, liveArgs, livePlanCommand } from './live.ts';
import { revertCommand } from './revert.ts';
import { runSeveral } from './several.ts';
import { CliError, type Io } from './plan.ts';

export type LiveCommand = (values: CliValues, io: Io, files: string[]) => Promise<number>;

const int = (name: string, v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0)
    throw new CliError(`--${name}: expected a non-negative integer, got ${JSON.stringify(v)}`);
  return n;
};

const share = (name: string, v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!(n >= 0 && n <= 1))
    throw new CliError(`--${name}: expected a share between 0 and 1, got ${JSON.stringify(v)}`);
  return n;
};

const TRIGGERS = ['manual', 'automatic', 'merge'];

const LIST_FORMATS: Record<string, ListFormat> = { table: 'table', text: 'table', csv: 'csv', json: 'json' };
const STATUSES = { active: 'active', inactive: 'inactive', all: 'any' } as const;

/** A pattern or name given on the command line: not empty. */
const given = (name: string, v: string | undefined): string | undefined => {
  if (v !== undefined && v.trim() === '') throw new CliError(`--${name}: expected a value, got an empty one`);
  return v;
};

function listFilters(v: CliValues): ListFilters {
  const status = v.status ?? 'all';
  if (!(status in STATUSES))
    throw new CliError(`--status: expected active | inactive | all, got ${JSON.stringify(status)}`);
  for (const g of v.group ?? []) given('group', g);
  return {
    status: STATUSES[status as keyof typeof STATUSES],
    ...(v['inactive-days'] !== undefined ? { inactiveDays: int('inactive-days', v['inactive-days']) } : {}),
    ...(v['never-logged-in'] ? { neverLoggedIn: true } : {}),
    ...(v.group && v.group.length > 0 ? { groups: v.group } : {}),
    ...(given('name', v.name) !== undefined ? { name: v.name } : {}),
    ...(given('email', v.email) !== undefined ? { email: v.email } : {}),
    ...(given('directory', v.directory) !== undefined ? { directory: v.directory } : {}),
  };
}

/** `--groups a,b`: the names, trimmed; an empty name (`a,,b`) is refused. */
function groupList(v: string | undefined): string[] {
  if (v === undefined) return [];
  const names = v.split(',').map((g) => g.trim());
  if (names.some((g) => g === ''))
    throw new CliError(`--groups: expected group names separated by commas, got ${JSON.stringify(v)}`);
  return names;
}

function applyArgs(v: CliValues) {
  const trigger = v.trigger ?? 'manual';
  if (!TRIGGERS.includes(trigger))
    throw new CliError(`--trigger: expected ${TRIGGERS.join(' | ')}, got ${JSON.stringify(trigger)}`);
  return {
    ...liveArgs(v, process.env, parseNow(v.now), 'text'),
    reviewedPlan: v.plan,
    yes: v.yes,
    trigger,
    actor: process.env.USER || userInfo().username,
    runId: `cli-${new Date().toISOString()}`,
  };
}

/** `aup plan|apply` over several policy files (one instance each). */
export const several = (
  command: 'plan' | 'apply',
  policies: string[],
  v: CliValues,
  io: Io,
): Promise<number> =>
  command === 'plan'
    ? runSeveral({
        command,
        policies,
        io,
        base: liveArgs(v, process.env, parseNow(v.now), parseFormat(v.format)),
        run: livePlanCommand,
      })
    : runSeveral({ command, policies, io, base: applyArgs(v), run: applyCommand });

export const commands: Record<string, LiveCommand> & { plan: LiveCommand } = {
  plan: (v, io) => livePlanCommand(liveArgs(v, process.env, parseNow(v.now), parseFormat(v.format)), io),
  export: (v, io) => exportCommand(liveArgs(v, process.env, parseNow(v.now), 'text'), io),
  revert: (v, io) => {
    if (!v.audit) throw new CliError('revert needs --audit FILE: the audit.csv of the run(s) to revert');
    if (v.apply && !v.plan && !v.yes && !io.interactive)
      throw new CliError(
        'revert --apply needs a confirmation and there is no terminal to ask on: add --plan FILE (the reviewed revert-plan.json) or --yes. Nothing was read or changed.',
      );
    const trigger = v.trigger ?? 'manual';
    if (!TRIGGERS.includes(trigger))
      throw new CliError(`--trigger: expected ${TRIGGERS.join(' | ')}, got ${JSON.stringify(trigger)}`);
    return revertCommand(
      {
        ...liveArgs(v, process.env, parseNow(v.now), parseFormat(v.format ?? 'text')),
        audit: v.audit,
        apply: v.apply ?? false,
        reviewedPlan: v.plan,
        yes: v.yes,
        trigger,
        actor: process.env.USER || userInfo().username,
        runId: `cli-${new Date().toISOString()}`,
      },
      io,
    );
  },
  apply: (v, io) => applyCommand(applyArgs(v), io),
  sandbox: async (v, io) => {
    await runSandboxCommand(
      {
        platform: v.platform,
        version: v.version,
        port: int('port', v.port),
        users: int('users', v.users),
        groups: int('groups', v.groups),
        seed: int('seed', v.seed),
        now: v.now ? parseNow(v.now) : undefined,
        scenarioFile: v.scenario,
        credentials: {
          ...(v.token ? { token: v.token } : {}),
          ...(v['app-password'] ? { appPassword: v['app-password'] } : {}),
        },
        contextPath: v['context-path'],
        maxPageSize: int('max-page-size', v['max-page-size']),
        ...(v['rate-limit'] !== undefined
          ? {
              rateLimit: {
                capacity: int('rate-limit', v['rate-limit'])!,
                fillRate: int('rate-limit', v['rate-limit'])!,
              },
            }
          : {}),
        ...(v.faults !== undefined || v.resets !== undefined || v.latency !== undefined
          ? {
              faults: {
                errorRate: share('faults', v.faults),
                resetRate: share('resets', v.resets),
                latencyMs: int('latency', v.latency),
              },
            }
          : {}),
      },
      { out: io.out },
    );
    return 0;
  },
  list: (v, io) => {
    const format = LIST_FORMATS[v.format ?? 'table'];
    if (!format) throw new CliError(`--format: expected table | csv | json, got ${JSON.stringify(v.format)}`);
    return listCommand(
      {
        ...liveArgs(v, process.env, parseNow(v.now), 'text'),
        snapshot: v.snapshot,
        filters: listFilters(v),
        listFormat: format,
      },
      io,
    );
  },
  'import-check': (v, io, files) =>
    importCheckCommand(
      {
        files,
        ...(v.policy ? { policy: v.policy } : {}),
        ...(v.snapshot ? { snapshot: v.snapshot } : {}),
        ...(v.url ? { url: v.url } : {}),
        env: process.env,
        now: new Date(),
        clock: () => new Date(),
      },
      io,
    ),
  dump: (v, io) =>
    dumpCommand(
      {
        ...liveArgs(v, process.env, parseNow(v.now), 'text'),
        snapshot: v.snapshot,
        groups: groupList(v.groups),
        ...(v.out ? { outFile: v.out } : {}),
      },
      io,
    ),
  demo: (v, io) =>
    demoCommand(
      {
        ...(v.policy ? { policy: v.policy } : {}),
        ...(v.platform ? { platform: v.platform } : {}),
        outDir: v.out ?? 'out',
        now: parseNow(v.now),
      },
      io,
    ),
};
