// Commands that talk to an instance (live plan, apply, export) or serve the sandbox, keyed by name.
import { userInfo } from 'node:os';
import { type CliValues, parseFormat, parseNow } from '../cli.ts';
import { runSandboxCommand } from '../sandbox/index.ts';
import { demoCommand } from './demo.ts';
import { listCommand } from './live.ts';
import { applyCommand, exportCommand, liveArgs, livePlanCommand } from './live.ts';
import { CliError, type Io } from './plan.ts';

export type LiveCommand = (values: CliValues, io: Io) => Promise<number>;

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

export const commands: Record<string, LiveCommand> & { plan: LiveCommand } = {
  plan: (v, io) => livePlanCommand(liveArgs(v, process.env, parseNow(v.now), parseFormat(v.format)), io),
  export: (v, io) => exportCommand(liveArgs(v, process.env, parseNow(v.now), 'text'), io),
  apply: (v, io) => {
    const trigger = v.trigger ?? 'manual';
    if (!TRIGGERS.includes(trigger))
      throw new CliError(`--trigger: expected ${TRIGGERS.join(' | ')}, got ${JSON.stringify(trigger)}`);
    return applyCommand(
      {
        ...liveArgs(v, process.env, parseNow(v.now), 'text'),
        reviewedPlan: v.plan,
        yes: v.yes,
        trigger,
        actor: process.env.USER || userInfo().username,
        runId: `cli-${new Date().toISOString()}`,
      },
      io,
    );
  },
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
    const format = v.format === 'csv' ? 'csv' : v.format === 'text' ? 'text' : undefined;
    if (!format) throw new CliError(`--format: expected text | csv, got ${JSON.stringify(v.format)}`);
    return listCommand(
      {
        ...liveArgs(v, process.env, parseNow(v.now), 'text'),
        snapshot: v.snapshot,
        inactiveDays: int('inactive-days', v['inactive-days']),
        listFormat: format,
      },
      io,
    );
  },
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
