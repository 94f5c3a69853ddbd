// Which run this is: the event (and the `mode` input) decide plan, apply or offline validation, and
// the audit trigger. Pull requests never apply; fork pull requests only validate offline.
import { existsSync, readFileSync } from 'node:fs';
import type { ModeInput } from './inputs.ts';

export type RunMode = 'plan' | 'apply' | 'validate' | 'revert';
/** The audit trigger of an apply: merged policy, scheduled run, or a person's dispatch. */
export type Trigger = 'merge' | 'automatic' | 'manual';

/** What the runner tells a step about its event (the env vars and the payload at GITHUB_EVENT_PATH). */
export interface GitHubEvent {
  name: string;
  payload: Record<string, unknown>;
  /** owner/repo */
  repository: string;
  ref: string;
  sha: string;
  actor: string;
  serverUrl: string;
  runId: string;
  runAttempt: string;
}

export interface PullRequestInfo {
  number: number;
  /** The head branch lives in another repository (or a deleted one): no secrets, read-only token. */
  isFork: boolean;
  baseSha: string;
  headSha: string;
  baseRef: string;
  /** owner/repo of the head, or null when the fork was deleted. */
  headRepo: string | null;
}

export interface RunDecision {
  mode: RunMode;
  /** null on pull-request events, which never apply. */
  trigger: Trigger | null;
  eventName: string;
  actor: string;
  sha: string;
  ref: string;
  repo: { owner: string; repo: string };
  runUrl: string;
  pr?: PullRequestInfo;
  defaultBranch: string | null;
  /** One sentence saying why this mode was chosen, for the log (and a notice on forks). */
  reason: string;
}

/** The event and the requested mode contradict each other, or the environment is not a workflow run. */
export class EventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventError';
  }
}

const PR_EVENTS = [
  'pull_request',
  'pull_request_target',
  'pull_request_review',
  'pull_request_review_comment',
];
/** Events that run before a change is merged: an apply there would act on unreviewed or unmerged policy. */
const NEVER_APPLY = [...PR_EVENTS, 'merge_group'];

/** Reads the event from the runner's environment, like @actions/github's Context but on demand. */
export function readEvent(env: NodeJS.ProcessEnv = process.env): GitHubEvent {
  const name = env.GITHUB_EVENT_NAME;
  if (!name)
    throw new EventError('reading the GitHub event: GITHUB_EVENT_NAME is not set (not a workflow run?)');
  let payload: Record<string, unknown> = {};
  const file = env.GITHUB_EVENT_PATH;
  if (file && existsSync(file)) {
    try {
      payload = asRecord(JSON.parse(readFileSync(file, 'utf8')));
    } catch (cause) {
      throw new EventError(`reading the event payload ${file}: ${(cause as Error).message}`);
    }
  }
  const repository = env.GITHUB_REPOSITORY || str(asRecord(payload.repository).full_name);
  if (!repository) throw new EventError('reading the GitHub event: GITHUB_REPOSITORY is not set');
  return {
    name,
    payload,
    repository,
    ref: env.GITHUB_REF ?? '',
    sha: env.GITHUB_SHA ?? '',
    actor: env.GITHUB_ACTOR ?? '',
    serverUrl: (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, ''),
    runId: env.GITHUB_RUN_ID ?? '',
    runAttempt: env.GITHUB_RUN_ATTEMPT ?? '1',
  };
}

/**
 * Decides the run mode. `auto`: pull requests plan (forks validate offline), push to the default branch
 * applies (trigger merge), schedule applies (automatic), workflow_dispatch and anything else plan
 * (manual). An explicit `plan`/`apply` is honoured, except that apply is refused before merge.
 */
export function decideRun(event: GitHubEvent, requested: ModeInput): RunDecision {
  const [owner = '', repo = ''] = event.repository.split('/');
  const defaultBranch = str(asRecord(event.payload.repository).default_branch);
  const base = {
    eventName: event.name,
    actor: event.actor,
    sha: event.sha,
    ref: event.ref,
    repo: { owner, repo },
    runUrl: runUrl(event),
    defaultBranch,
  };

  if (NEVER_APPLY.includes(event.name)) {
    if (requested === 'revert')
      throw new EventError(
        `mode "revert" is refused on ${event.name} events: a revert changes the instance, so it runs only on a manual dispatch, a schedule or a push to ${defaultBranch ?? 'the default branch'}; to review a revert, use mode "plan" with revert-run`,
      );
    if (requested === 'apply') {
      throw new EventError(
        `mode "apply" is refused on ${event.name} events: changes are applied only after merge ` +
          `(push to ${defaultBranch ?? 'the default branch'}), a schedule or a manual dispatch; use mode "plan" or "auto" here`,
      );
    }
    const pr = pullRequest(event);
    if (pr?.isFork) {
      return {
        ...base,
        pr,
        mode: 'validate',
        trigger: null,
        reason:
          `pull request #${pr.number} comes from ${pr.headRepo ?? 'a deleted fork'}: forks get no secrets and a ` +
          'read-only token, so the policy is validated offline and no plan is made',
      };
    }
    const what = pr ? `pull request #${pr.number}` : `${event.name} event`;
    return {
      ...base,
      ...(pr ? { pr } : {}),
      mode: 'plan',
      trigger: null,
      reason: `${what}: plan only, nothing is applied`,
    };
  }

  if (event.name === 'push') {
    const branch = event.ref.startsWith('refs/heads/') ? event.ref.slice('refs/heads/'.length) : null;
    const onDefault = branch !== null && defaultBranch !== null && branch === defaultBranch;
    if (requested !== 'auto')
      return {
        ...base,
        mode: requested,
        trigger: 'merge',
        reason: `push to ${event.ref}: mode ${requested} as requested`,
      };
    return onDefault
      ? {
          ...base,
          mode: 'apply',
          trigger: 'merge',
          reason: `push to the default branch ${branch}: the merged policy is applied`,
        }
      : {
          ...base,
          mode: 'plan',
          trigger: 'merge',
          reason: `push to ${event.ref}, not the default branch ${defaultBranch ?? '(unknown)'}: plan only`,
        };
  }

  if (event.name === 'schedule') {
    const mode = requested === 'auto' ? 'apply' : requested;
    return {
      ...base,
      mode,
      trigger: 'automatic',
      reason: `scheduled run: ${mode}${requested === 'auto' ? ' (mode auto)' : ''}`,
    };
  }

  const mode = requested === 'auto' ? 'plan' : requested;
  const how = requested === 'auto' ? 'plan (mode auto; set mode: apply to apply)' : `${mode} as requested`;
  return { ...base, mode, trigger: 'manual', reason: `${event.name} event: ${how}` };
}

function pullRequest(event: GitHubEvent): PullRequestInfo | undefined {
  const pr = asRecord(event.payload.pull_request);
  const number = pr.number;
  if (typeof number !== 'number') return undefined;
  const head = asRecord(pr.head);
  const baseRef = asRecord(pr.base);
  const headRepo = str(asRecord(head.repo).full_name);
  const baseRepo = str(asRecord(baseRef.repo).full_name) ?? event.repository;
  return {
    number,
    isFork: headRepo === null || headRepo.toLowerCase() !== baseRepo.toLowerCase(),
    baseSha: str(baseRef.sha) ?? '',
    headSha: str(head.sha) ?? '',
    baseRef: str(baseRef.ref) ?? '',
    headRepo,
  };
}

function runUrl(event: GitHubEvent): string {
  const url = `${event.serverUrl}/${event.repository}/actions/runs/${event.runId}`;
  return Number(event.runAttempt) > 1 ? `${url}/attempts/${event.runAttempt}` : url;
}

function asRecord(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}
