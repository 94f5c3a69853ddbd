// Progress of long reads and applies, on stderr only: on a terminal one live line rewritten in place, in
// CI (stderr not a terminal) a plain line every few seconds. Its numbers come from events: the HTTP
// clients' answers, throttle waits and retries, and the executor's results.
import type { HttpEvent } from '../http/types.ts';
import type { ApplyResult } from '../model.ts';
import type { ProgressIo } from './plan.ts';

export interface Progress {
  http(event: HttpEvent): void;
  /** Applying starts, with this many changes. */
  applying(total: number): void;
  result(r: ApplyResult): void;
  /** A notice line (retries, throttling) that must not garble the live line. */
  log(message: string): void;
  /** Clears the live line and draws nothing until `applying` (while the plan is shown and confirmed). */
  pause(): void;
  /** Stops reporting and clears the live line; idempotent. Call before printing results. */
  stop(): void;
}

export interface ProgressOptions {
  /** "reading https://jira.example.com". */
  what: string;
  /** Where notices go without progress (no terminal, no interval): the CLI's stderr lines. */
  fallbackLog: (message: string) => void;
  now?: () => number;
  /** Runs `tick` every `ms` until the returned function is called. Default: an unref'd setInterval. */
  every?: (ms: number, tick: () => void) => () => void;
}

/**
 * Pages of users (Jira's user/list and user/search; a Cloud organisation's users/search; Crowd's search
 * when its envelope is `users`, not `groups`), and per-user reads of login times (Jira's embedded Crowd and
 * Crowd: user?expand=attributes; Cloud's last-active-dates fallback). After Jira's own user pages, the
 * embedded Crowd's user search pages are login times in bulk, not more users.
 */
const USER_PAGES =
  /^\/rest\/api\/2\/user\/(list|search)$|^\/admin\/v2\/orgs\/[^/]+\/directories\/[^/]+\/users\/search$/;
const CROWD_SEARCH = '/rest/usermanagement/1/search';
const USER_LOOKUP =
  /^\/rest\/usermanagement\/1\/user$|^\/admin\/v1\/orgs\/[^/]+\/directory\/users\/[^/]+\/last-active-dates$/;
const LIVE_REDRAW_MS = 250;
const PLAIN_LINE_MS = 5000;

const every = (ms: number, tick: () => void): (() => void) => {
  const t = setInterval(tick, ms);
  t.unref();
  return () => clearInterval(t);
};

export function startProgress(io: ProgressIo | undefined, o: ProgressOptions): Progress {
  if (!io) {
    const none = () => {};
    return { http: none, applying: none, result: none, log: o.fallbackLog, pause: none, stop: none };
  }
  const now = o.now ?? Date.now;
  const started = now();
  const s = {
    requests: 0,
    pages: 0,
    users: 0,
    lookups: 0,
    firstLookupAt: 0,
    /** Users were listed by Jira's or Cloud's own pages (the Crowd search then carries login times). */
    listedByPages: false,
    waits: 0,
    waitedMs: 0,
    retries: 0,
    total: -1,
    done: 0,
    failed: 0,
    skipped: 0,
    applyingSince: 0,
  };
  let shown = false;
  let stopped = false;
  let paused = false;

  const status = (): string => {
    const t = now();
    const waits = s.waits ? `, ${count(s.waits, 'rate-limit wait')} (${duration(s.waitedMs)})` : '';
    const retries = s.retries ? `, ${count(s.retries, 'retry', 'retries')}` : '';
    if (s.total >= 0) {
      const rate = s.done / Math.max(1, t - s.applyingSince);
      const eta = s.done > 0 && s.done < s.total ? `, ETA ${duration((s.total - s.done) / rate)}` : '';
      const bad = [s.failed ? `${s.failed} failed` : '', s.skipped ? `${s.skipped} skipped` : '']
        .filter(Boolean)
        .join(', ');
      return `applying: ${fmt(s.done)} of ${count(s.total, 'change')} done${bad ? ` (${bad})` : ''}${waits}${retries}, ${duration(t - s.applyingSince)}${eta}`;
    }
    const parts = [count(s.requests, 'request'), count(s.pages, 'page')];
    if (s.users) parts.push(`${count(s.users, 'user')} listed`);
    let eta = '';
    if (s.lookups && s.users) {
      parts.push(`login times of ${fmt(s.lookups)} of ${fmt(s.users)} users`);
      const rate = s.lookups / Math.max(1, t - s.firstLookupAt);
      if (s.lookups < s.users) eta = `, ETA ${duration((s.users - s.lookups) / rate)}`;
    }
    return `${o.what}: ${parts.join(', ')}${waits}${retries}, ${duration(t - started)}${eta}`;
  };

  const columns = Math.max(20, (io.columns || 100) - 1);
  const draw = () => {
    if (stopped || paused) return;
    if (io.tty) {
      const line = status();
      io.write(`\r\x1b[2K${line.length > columns ? `${line.slice(0, columns - 1)}…` : line}`);
      shown = true;
    } else {
      io.write(`${status()}\n`);
    }
  };
  const clear = () => {
    if (io.tty && shown) io.write('\r\x1b[2K');
    shown = false;
  };
  const cancel = (o.every ?? every)(io.intervalMs ?? (io.tty ? LIVE_REDRAW_MS : PLAIN_LINE_MS), draw);

  return {
    http(e) {
      if (e.type === 'throttle') {
        s.waits++;
        s.waitedMs += e.waitMs;
      } else if (e.type === 'retry') s.retries++;
      else {
        s.requests++;
        if (e.items !== undefined) s.pages++;
        const crowdUsers = e.status < 300 && e.path === CROWD_SEARCH && e.itemsField === 'users';
        if (e.status < 300 && USER_PAGES.test(e.path)) {
          s.users += e.items ?? 0;
          s.listedByPages = true;
        } else if (crowdUsers && !s.listedByPages) s.users += e.items ?? 0;
        const lookups = USER_LOOKUP.test(e.path) ? 1 : crowdUsers && s.listedByPages ? (e.items ?? 0) : 0;
        if (lookups) {
          if (s.lookups === 0) s.firstLookupAt = now();
          s.lookups += lookups;
        }
      }
    },
    applying(total) {
      paused = false;
      s.total = total;
      s.applyingSince = now();
    },
    result(r) {
      s.done++;
      if (r.outcome === 'failed') s.failed++;
      if (r.outcome === 'skipped') s.skipped++;
    },
    log(message) {
      clear();
      io.write(`${message}\n`);
    },
    pause() {
      paused = true;
      clear();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      cancel();
      clear();
    },
  };
}

const fmt = (n: number): string => n.toLocaleString('en-US');

function count(n: number, one: string, many = `${one}s`): string {
  return `${fmt(n)} ${n === 1 ? one : many}`;
}

/** 850 ms → "1 s", 75 000 → "1 min 15 s". */
function duration(ms: number): string {
  const sec = Math.max(0, Math.round(ms / 1000));
  if (sec < 60) return `${sec} s`;
  const min = Math.floor(sec / 60);
  return sec % 60 ? `${min} min ${sec % 60} s` : `${min} min`;
}
