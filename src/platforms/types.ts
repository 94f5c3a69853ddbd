// The one interface every platform adapter implements, and the capability data the planner reads.
import type { Change, ChangeKind, Outcome, Platform, Snapshot } from '../model.ts';

/** What a platform cannot do over its API, with the reason shown in the plan (never silently dropped). */
export interface Capabilities {
  unsupported: Partial<Record<ChangeKind, string>>;
}

export const ALL_SUPPORTED: Capabilities = { unsupported: {} };

export interface ApplyOutcome {
  outcome: Outcome;
  /** The API's message (failed) or the reason (skipped). */
  error?: string;
}

export interface DirectoryAdapter {
  readonly platform: Platform;
  readonly capabilities: Capabilities;
  /** Reads the whole instance. Fails closed: any failed page fails the snapshot, never a partial one. */
  snapshot(): Promise<Snapshot>;
  /** Applies one change. Idempotent: a change already in effect answers `already-in-state`. */
  apply(change: Change): Promise<ApplyOutcome>;
}
