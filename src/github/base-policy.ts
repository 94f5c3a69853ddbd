// The base branch's side of the pull-request comparison: the base version of a policy file, planned
// against the head's snapshot. The runner's checkout holds only the pull request's merge commit, so
// the file (and every CSV it imports) is read through the contents API at the base commit.
import { canonical } from '../model/identity.ts';
import { planOrThrow } from '../app/plan-run.ts';
import type { Plan, Snapshot } from '../model.ts';
import { groupsNamedBy } from '../platforms/registry.ts';
import type { Capabilities } from '../model.ts';
import type { Refusal } from '../planner/index.ts';
import { formatDiagnostic, PolicyError } from '../policy/diagnostics.ts';
import { resolvePolicyText } from '../policy/load.ts';
import type { ResolvedPolicy } from '../policy/resolved.ts';
import { type BaseComparison, policyRules } from '../report/pr-diff.ts';
import type { Octokit } from './comment.ts';

export type BasePolicy =
  | { kind: 'found'; resolved: ResolvedPolicy }
  /** The file does not exist at the base commit: the pull request adds it. */
  | { kind: 'new-file' }
  /** The file could not be read, or is not a valid policy there; `reason` says why. */
  | { kind: 'unavailable'; reason: string };

export interface BaseCommit {
  owner: string;
  repo: string;
  /** The base commit's SHA (pull_request.base.sha). */
  sha: string;
}

export interface CompareArgs {
  /** null: no github-token, the base cannot be read. */
  octokit: Octokit | null;
  base: BaseCommit;
  /** The pull request's policy, its snapshot and its plan. */
  head: ResolvedPolicy;
  snapshot: Snapshot;
  plan: Plan;
  now: Date;
  capabilities?: Capabilities;
  /** The base policy when already read (see readBaseFor); read here otherwise. */
  found?: BasePolicy;
  /** Groups whose members the snapshot holds; default those the head policy names. */
  readGroups?: string[];
  /** The refusals the head plan was made with, so both plans see the same instance. */
  refusals?: readonly Refusal[];
}

/**
 * The base branch's plan for the same policy file against the head's snapshot, or why there is none.
 * null when the pull request does not change the policy (nor what it imports): nothing to compare.
 */
export async function compareWithBase(a: CompareArgs): Promise<BaseComparison | null> {
  const found = a.found ?? (await readBaseFor(a.octokit, a.base, a.head.path));
  if (found.kind !== 'found') return found;
  if (samePolicy(found.resolved, a.head)) return null;

  // The snapshot holds the members of the groups the head policy names; groups only the base names
  // were not read, so the base plan cannot be exact for them.
  const read = new Set((a.readGroups ?? groupsNamedBy(a.head)).map((g) => canonical(g)));
  const unread = groupsNamedBy(found.resolved).filter((g) => !read.has(canonical(g)));
  const unreadText =
    unread.length > 0 ? `the base policy names groups this version does not (${unread.join(', ')})` : '';
  try {
    // Groups only the base names were not read: planned as empty (the caveat says so), not as unknown names.
    const known = new Set(a.snapshot.groups.map((g) => canonical(g.name)));
    const snapshot = {
      ...a.snapshot,
      groups: [
        ...a.snapshot.groups,
        ...unread.filter((g) => !known.has(canonical(g))).map((name) => ({ name, readOnly: false })),
      ],
    };
    const plan = planOrThrow(snapshot, found.resolved, a.now, {
      capabilities: a.capabilities,
      refusals: a.refusals,
    });
    const caveats = unreadText
      ? [`${unreadText}; their members were not read, so changes tied to them may be missing here.`]
      : [];
    return { kind: 'planned', plan, rules: policyRules(found.resolved.policy), caveats };
  } catch (e) {
    const first = e instanceof PolicyError ? e.diagnostics.find((d) => d.severity === 'error') : undefined;
    const why = first ? formatDiagnostic(first) : (e as Error).message;
    return { kind: 'unavailable', reason: unreadText ? `${unreadText}: ${why}` : why };
  }
}

/** The base version of a policy file, or why it cannot be read (no token, no base commit, …). */
export async function readBaseFor(
  octokit: Octokit | null,
  base: BaseCommit,
  file: string,
): Promise<BasePolicy> {
  if (!octokit) return { kind: 'unavailable', reason: 'no github-token to read it with' };
  if (!/^[0-9a-f]{40}$/i.test(base.sha))
    return { kind: 'unavailable', reason: 'the event names no base commit' };
  return readBasePolicy(octokit, base, file);
}

class NotFound extends Error {
  override name = 'NotFound';
}

/**
 * Reads and resolves `file` (repository-relative, as the policy input matched it) at the base commit.
 * Never throws for a missing, unreadable or invalid base: that is reported as the result.
 */
export async function readBasePolicy(octokit: Octokit, at: BaseCommit, file: string): Promise<BasePolicy> {
  const short = at.sha.slice(0, 7);
  let text: string;
  try {
    text = await readText(octokit, at, file);
  } catch (e) {
    if (e instanceof NotFound) return { kind: 'new-file' };
    return { kind: 'unavailable', reason: `reading ${file} at ${short}: ${(e as Error).message}` };
  }
  const { resolved, diagnostics } = await resolvePolicyText(text, file, async (csv) => {
    try {
      return await readText(octokit, at, csv);
    } catch (e) {
      throw e instanceof NotFound ? new Error(`${csv} does not exist at ${short}`) : e;
    }
  });
  if (resolved) return { kind: 'found', resolved };
  const first = diagnostics.find((d) => d.severity === 'error');
  const more = diagnostics.filter((d) => d.severity === 'error').length - 1;
  return {
    kind: 'unavailable',
    reason: `the policy at ${short} is invalid: ${first ? formatDiagnostic(first) : 'no policy'}${more > 0 ? ` (and ${more} more)` : ''}`,
  };
}

/** The same policy text and the same declared users (imported CSVs included) on both sides. */
export function samePolicy(a: ResolvedPolicy, b: ResolvedPolicy): boolean {
  return a.sha256 === b.sha256 && JSON.stringify(a.declared) === JSON.stringify(b.declared);
}

/** GET /repos/{owner}/{repo}/contents/{path}?ref=: base64 JSON, or the raw media type over 1 MB. */
async function readText(octokit: Octokit, at: BaseCommit, file: string): Promise<string> {
  const args = { owner: at.owner, repo: at.repo, path: file, ref: at.sha };
  let data: unknown;
  try {
    ({ data } = await octokit.rest.repos.getContent(args));
  } catch (e) {
    if (statusOf(e) === 404) throw new NotFound(file);
    throw new Error(`${statusOf(e) ?? 'error'} ${(e as Error).message}`, { cause: e });
  }
  if (Array.isArray(data)) throw new Error(`${file} is a directory`);
  const entry = data as { type?: string; encoding?: string; content?: string };
  if (entry.type !== 'file') throw new Error(`${file} is a ${entry.type ?? 'non-file'} entry, not a file`);
  if (entry.encoding === 'base64' && typeof entry.content === 'string')
    return Buffer.from(entry.content, 'base64').toString('utf8');
  // Files over 1 MB come without content ("encoding": "none"); the raw media type serves up to 100 MB.
  const raw = await octokit.rest.repos.getContent({ ...args, mediaType: { format: 'raw' } });
  if (typeof raw.data !== 'string') throw new Error(`${file}: the raw contents API answered no text`);
  return raw.data;
}

function statusOf(err: unknown): number | undefined {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}
