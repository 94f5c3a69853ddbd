// Turning a failed write into an outcome: read-only directories are skipped (never retried, never a crash);
// everything else is failed with the API's message.
import { HttpError } from '../http/index.ts';
import type { ApplyOutcome } from './types.ts';

const READ_ONLY = /read[- ]?only|does not allow updates|not allowed to update|cannot be modified/i;

export function classifyWriteError(e: unknown): ApplyOutcome {
  if (e instanceof HttpError && e.status !== undefined && e.status < 500 && READ_ONLY.test(e.detail ?? '')) {
    return { outcome: 'skipped', error: `read-only directory: ${e.detail}` };
  }
  return { outcome: 'failed', error: e instanceof Error ? e.message : String(e) };
}
