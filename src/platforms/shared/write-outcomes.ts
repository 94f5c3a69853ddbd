// Turning a write's answer into an outcome, per platform, as a table: each platform lists which of its
// answers mean already-in-state (idempotent repeats), read-only (never retried, carried to later plans),
// not-found, or refused (an outcome with the API's message). Anything unlisted is `failed` with the message.
import { HttpError } from '../../http/errors.ts';
import type { Outcome, OutcomeClass } from '../../model.ts';

export interface ApplyOutcome {
  outcome: Outcome;
  /** The API's message (failed) or the reason (skipped). */
  error?: string;
  class?: OutcomeClass;
}

/** One row of a platform's table: a status (or any status below 500) and a pattern of the API's message. */
export interface OutcomeRule {
  status?: number | number[];
  /** Matched against the Atlassian message of the answer; absent = any message. */
  message?: RegExp;
  /** Which writes the row is about; absent = every write. */
  kinds?: string[];
  then: 'already-in-state' | 'read-only' | 'not-found' | 'refused';
}

export type OutcomeTable = readonly OutcomeRule[];

/** Messages Data Center products give for read-only directories (shared by the DC tables). */
export const DC_READ_ONLY =
  /read[- ]?only|does not allow updates|not allowed to update|cannot be modified|not removable/i;

function matches(rule: OutcomeRule, status: number, message: string, kind: string | undefined): boolean {
  if (rule.kinds && (!kind || !rule.kinds.includes(kind))) return false;
  if (rule.status !== undefined) {
    const list = Array.isArray(rule.status) ? rule.status : [rule.status];
    if (!list.includes(status)) return false;
  } else if (status >= 500) return false;
  return rule.message ? rule.message.test(message) : true;
}

/** The outcome of a failed write under a platform's table (the first matching row wins). */
export function classifyWriteError(e: unknown, table: OutcomeTable, kind?: string): ApplyOutcome {
  if (e instanceof HttpError && e.status !== undefined) {
    const message = e.detail ?? '';
    const rule = table.find((r) => matches(r, e.status!, message, kind));
    switch (rule?.then) {
      case 'already-in-state':
        return { outcome: 'already-in-state' };
      case 'read-only':
        return {
          outcome: 'skipped',
          class: 'read-only',
          error: `read-only directory: ${message || e.message}`,
        };
      case 'not-found':
        return { outcome: 'skipped', class: 'not-found', error: `not found: ${message || e.message}` };
      case 'refused':
        return { outcome: 'failed', class: 'refused', error: e.message };
      default:
        break;
    }
  }
  return { outcome: 'failed', error: e instanceof Error ? e.message : String(e) };
}

/**
 * A write the instance answered with 2xx but did not carry out (Confluence ignores writes to read-only LDAP
 * users): read back, and if nothing changed the change is not applied.
 */
export function notCarriedOut(what: string): ApplyOutcome {
  return {
    outcome: 'skipped',
    class: 'read-only',
    error: `read-only directory: the instance accepted the request but ${what} did not change (read back after the write)`,
  };
}
