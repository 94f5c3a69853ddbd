// Confluence's long tasks, as far as user deletion uses them: DELETE /rest/api/admin/user/{username} answers
// 202 with a LongTaskSubmission {id, links.status}; GET /rest/api/longtask/{id} answers the LongTaskStatus
// {id, name{key,args,translation}, elapsedTime, percentageComplete, successful, finished, messages[]}
// (the shape of the Confluence DC REST docs). The user goes when the task finishes, a few polls later.
// Knobs (DeleteTaskOptions) make tasks fail with a message, leaving the user, or never finish.
import type { DeleteTaskOptions } from '../../product.ts';
import type { SandboxStore, UserRecord } from '../../store.ts';

interface Message {
  key: string;
  args: unknown[];
  translation: string;
}

interface LongTask {
  id: string;
  username: string;
  userKey: string;
  owner: string | null;
  startedAt: number;
  finishedAt: number | null;
  polls: number;
  /** Decided when the task starts, from the knobs of that moment. */
  pollsToFinish: number;
  failWith: string | null;
  hang: boolean;
  outcome: 'running' | 'succeeded' | 'failed';
  messages: Message[];
}

export class LongTasks {
  private readonly tasks = new Map<string, LongTask>();
  private seq = 0;
  private options: DeleteTaskOptions;
  private readonly store: SandboxStore;

  constructor(store: SandboxStore, options: DeleteTaskOptions = {}) {
    this.store = store;
    this.options = options;
  }

  configure(options: DeleteTaskOptions): void {
    this.options = options;
  }

  startDelete(user: UserRecord, owner: UserRecord | null, now: number): LongTask {
    this.seq += 1;
    const o = this.options;
    const targeted =
      o.usernames === undefined || o.usernames.some((u) => u.toLowerCase() === user.name.toLowerCase());
    const task: LongTask = {
      id: `00000000-0000-4000-8000-${this.seq.toString(16).padStart(12, '0')}`,
      username: user.name,
      userKey: user.key,
      owner: owner?.name ?? null,
      startedAt: now,
      finishedAt: null,
      polls: 0,
      pollsToFinish: Math.max(1, o.polls ?? 2),
      failWith: targeted ? (o.failWith ?? null) : null,
      hang: targeted && (o.hang ?? false),
      outcome: 'running',
      messages: [],
    };
    this.tasks.set(task.id, task);
    return task;
  }

  /** The task, advanced by one poll; undefined when `who` may not see it (as Confluence: 404). */
  poll(id: string, who: UserRecord, isAdmin: boolean, now: number): LongTask | undefined {
    const task = this.tasks.get(id);
    if (!task || (!isAdmin && task.owner?.toLowerCase() !== who.name.toLowerCase())) return undefined;
    if (task.outcome !== 'running') return task;
    task.polls += 1;
    if (task.hang || task.polls < task.pollsToFinish) return task;
    task.finishedAt = now;
    const user = this.store.userByKey(task.userKey);
    if (task.failWith !== null) {
      task.outcome = 'failed';
      task.messages = [message('sandbox.longtask.failed', task.failWith)];
    } else if (!user) {
      task.outcome = 'failed';
      task.messages = [message('user.not.found', `No user found with username: ${task.username}`)];
    } else {
      this.store.deleteUser(user);
      task.outcome = 'succeeded';
    }
    return task;
  }

  /** Tasks still running (tests and the banner). */
  running(): number {
    return [...this.tasks.values()].filter((t) => t.outcome === 'running').length;
  }
}

function message(key: string, translation: string): Message {
  return { key, args: [], translation };
}

export function submission(task: LongTask, contextPath: string): Record<string, unknown> {
  return { id: task.id, links: { status: `${contextPath}/rest/api/longtask/${task.id}` } };
}

export function taskStatus(task: LongTask, now: number): Record<string, unknown> {
  const finished = task.outcome !== 'running';
  const percentageComplete = finished
    ? 100
    : task.hang
      ? 50
      : Math.min(99, Math.floor((100 * task.polls) / task.pollsToFinish));
  return {
    id: task.id,
    name: {
      key: 'com.atlassian.confluence.user.remove.task',
      args: [task.username],
      translation: `Removing user ${task.username}`,
    },
    elapsedTime: (task.finishedAt ?? now) - task.startedAt,
    percentageComplete,
    successful: task.outcome !== 'failed',
    finished,
    messages: task.messages,
  };
}
