// Waiting for a Confluence long task (DELETE admin/user/{username} answers 202 with one): poll
// GET /rest/api/longtask/{id} with backoff through the injected sleep, bounded in total waiting time.
// The answer says finished/successful/messages; a task that is gone answers 404.
import { HttpError } from '../../http/index.ts';
import type { HttpClient } from '../../http/types.ts';

interface TaskStatus {
  finished?: boolean;
  successful?: boolean;
  percentageComplete?: number;
  messages?: { translation?: string; key?: string }[];
}

export interface TaskWait {
  /** First wait before a poll, doubling up to maxMs; the total waited never exceeds totalMs. */
  firstMs: number;
  maxMs: number;
  totalMs: number;
}

export const DEFAULT_TASK_WAIT: TaskWait = { firstMs: 500, maxMs: 5_000, totalMs: 120_000 };

export type TaskEnd =
  | { state: 'succeeded' }
  | { state: 'failed'; messages: string[] }
  | { state: 'running'; percent: number | null; polls: number; waitedMs: number }
  | { state: 'gone' };

export async function waitForTask(
  http: HttpClient,
  id: string,
  sleep: (ms: number) => Promise<void>,
  wait: TaskWait = DEFAULT_TASK_WAIT,
): Promise<TaskEnd> {
  let waited = 0;
  let delay = wait.firstMs;
  let polls = 0;
  let percent: number | null = null;
  for (;;) {
    let status: TaskStatus;
    try {
      status = await http.getJson<TaskStatus>(`/rest/api/longtask/${encodeURIComponent(id)}`);
    } catch (e) {
      if (e instanceof HttpError && e.status === 404) return { state: 'gone' };
      throw e;
    }
    polls++;
    if (status.finished === true) {
      if (status.successful !== false) return { state: 'succeeded' };
      const messages = (status.messages ?? [])
        .map((m) => m.translation || m.key || '')
        .filter((m) => m.trim() !== '');
      return { state: 'failed', messages };
    }
    percent = typeof status.percentageComplete === 'number' ? status.percentageComplete : percent;
    if (waited + delay > wait.totalMs) return { state: 'running', percent, polls, waitedMs: waited };
    await sleep(delay);
    waited += delay;
    delay = Math.min(wait.maxMs, delay * 2);
  }
}
