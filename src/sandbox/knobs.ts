// The sandbox's knobs: the Data Center products' per-user token-bucket rate limiting (atlassian-api.md §2.7,
// same headers on Jira, Confluence, Bitbucket) and injected faults (5xx, connection resets, latency; seeded),
// plus targeted one-off failures for tests.
import { mulberry32, type Random } from './prng.ts';
import type { Reply } from './reply.ts';

export interface RateLimitOptions {
  /** Bucket size: X-RateLimit-Limit ("Max requests"). */
  capacity: number;
  /** Tokens added every interval: X-RateLimit-FillRate ("Requests allowed"). */
  fillRate: number;
  /** X-RateLimit-Interval-Seconds; default 1. */
  intervalSeconds?: number;
}

/** Where a caller's bucket stands after a request. */
export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Epoch ms of the next refill. */
  resetAt: number;
  /** Seconds to wait when refused (0 when allowed). */
  retryAfterSeconds: number;
}

interface Bucket {
  tokens: number;
  lastFill: number;
}

/** One bucket per user; every authenticated request takes a token or is answered 429. */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly options: Required<RateLimitOptions>;
  private readonly clock: () => number;

  constructor(options: RateLimitOptions, clock: () => number) {
    this.options = { intervalSeconds: 1, ...options };
    this.clock = clock;
  }

  /**
   * Takes a token for `who`. Returns whether the request may proceed, the headers the Data Center products
   * send, and the numbers behind them (for products whose headers differ: Cloud).
   */
  take(who: string): { allowed: boolean; headers: Record<string, string>; state: RateLimitState } {
    const { capacity, fillRate, intervalSeconds } = this.options;
    const intervalMs = intervalSeconds * 1000;
    const now = this.clock();
    const bucket = this.buckets.get(who) ?? { tokens: capacity, lastFill: now };
    const intervals = Math.floor((now - bucket.lastFill) / intervalMs);
    if (intervals > 0) {
      bucket.tokens = Math.min(capacity, bucket.tokens + intervals * fillRate);
      bucket.lastFill += intervals * intervalMs;
    }
    this.buckets.set(who, bucket);
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    const wait = allowed ? 0 : Math.max(1, Math.ceil((bucket.lastFill + intervalMs - now) / 1000));
    return {
      allowed,
      state: {
        limit: capacity,
        remaining: Math.floor(bucket.tokens),
        resetAt: bucket.lastFill + intervalMs,
        retryAfterSeconds: wait,
      },
      headers: {
        'X-RateLimit-Limit': String(capacity),
        'X-RateLimit-Remaining': String(Math.floor(bucket.tokens)),
        'X-RateLimit-Interval-Seconds': String(intervalSeconds),
        'X-RateLimit-FillRate': String(fillRate),
        'Retry-After': String(wait),
      },
    };
  }
}

export interface FaultOptions {
  /** Seed of the fault sequence (default 1). */
  seed?: number;
  /** Share of requests answered with a 5xx (0..1). */
  errorRate?: number;
  /** Statuses drawn for those errors; default [500, 502, 503]. */
  statuses?: number[];
  /** Share of requests whose connection is reset before any answer (0..1). */
  resetRate?: number;
  /** Added latency per request: fixed ms, or [min, max]. */
  latencyMs?: number | [number, number];
  /** Share of requests that start a storm of 429s with Retry-After: 1 (0..1). */
  stormRate?: number;
  /** Requests answered 429 in a row once a storm starts (default 4). */
  stormLength?: number;
  /** Share of requests delayed by a latency spike (0..1). */
  spikeRate?: number;
  /** The spike's length in ms (default 2000). */
  spikeMs?: number;
}

/** What the injector did: for soak figures and for tests that must see a fault happen. */
export interface FaultCounts {
  /** Injected error answers by status (429s of storms included). */
  statuses: Record<string, number>;
  resets: number;
  storms: number;
  spikes: number;
  spikeMs: number;
}

export type FaultStatus = number | 'reset';

export interface FailNextOptions {
  /** How many matching requests fail (default 1). */
  times?: number;
  /** Let this many matching requests through first (default 0): "fail the third page". */
  skip?: number;
  /** Only requests with this method (default any). */
  method?: string;
}

interface FaultRule {
  pathPrefix: string;
  method: string | undefined;
  status: FaultStatus;
  times: number;
  skip: number;
}

export type FaultDecision = { kind: 'none' } | { kind: 'status'; status: number } | { kind: 'reset' };

export class FaultInjector {
  private options: FaultOptions;
  private rand: Random;
  private readonly rules: FaultRule[] = [];
  private stormLeft = 0;
  private readonly tally: FaultCounts = { statuses: {}, resets: 0, storms: 0, spikes: 0, spikeMs: 0 };

  constructor(options: FaultOptions = {}) {
    this.options = options;
    this.rand = mulberry32(options.seed ?? 1);
  }

  configure(options: FaultOptions): void {
    this.options = options;
    this.rand = mulberry32(options.seed ?? 1);
    this.stormLeft = 0;
  }

  counts(): FaultCounts {
    return structuredClone(this.tally);
  }

  private count(d: FaultDecision): FaultDecision {
    if (d.kind === 'reset') this.tally.resets++;
    if (d.kind === 'status') this.tally.statuses[d.status] = (this.tally.statuses[d.status] ?? 0) + 1;
    return d;
  }

  /** Fails the next request(s) whose path (below the context path) starts with `pathPrefix`. */
  failNext(pathPrefix: string, status: FaultStatus, opts: FailNextOptions = {}): void {
    this.rules.push({
      pathPrefix,
      method: opts.method?.toUpperCase(),
      status,
      times: opts.times ?? 1,
      skip: opts.skip ?? 0,
    });
  }

  latency(): number {
    const { latencyMs: l, spikeRate = 0, spikeMs = 2000 } = this.options;
    let ms =
      l === undefined ? 0 : typeof l === 'number' ? l : l[0] + Math.floor(this.rand() * (l[1] - l[0] + 1));
    if (spikeRate > 0 && this.rand() < spikeRate) {
      this.tally.spikes++;
      this.tally.spikeMs += spikeMs;
      ms += spikeMs;
    }
    return ms;
  }

  decide(method: string, path: string): FaultDecision {
    const rule = this.rules.find(
      (r) => r.times > 0 && path.startsWith(r.pathPrefix) && (r.method === undefined || r.method === method),
    );
    if (rule) {
      if (rule.skip > 0) {
        rule.skip -= 1;
      } else {
        rule.times -= 1;
        if (rule.times <= 0) this.rules.splice(this.rules.indexOf(rule), 1);
        return this.count(
          rule.status === 'reset' ? { kind: 'reset' } : { kind: 'status', status: rule.status },
        );
      }
    }
    const {
      errorRate = 0,
      resetRate = 0,
      statuses = [500, 502, 503],
      stormRate = 0,
      stormLength = 4,
    } = this.options;
    if (this.stormLeft > 0) {
      this.stormLeft--;
      return this.count({ kind: 'status', status: 429 });
    }
    if (stormRate > 0 && this.rand() < stormRate) {
      this.tally.storms++;
      this.stormLeft = stormLength - 1;
      return this.count({ kind: 'status', status: 429 });
    }
    if (errorRate <= 0 && resetRate <= 0) return { kind: 'none' };
    const r = this.rand();
    if (r < resetRate) return this.count({ kind: 'reset' });
    if (r < resetRate + errorRate) {
      return this.count({
        kind: 'status',
        status: statuses[Math.floor(this.rand() * statuses.length)] ?? 500,
      });
    }
    return { kind: 'none' };
  }
}

/**
 * What an injected failure looks like on the wire: a proxy's HTML for 502/503/504, otherwise the product's
 * own error body (`error`), with Retry-After on 429 and 503.
 */
export function faultReply(status: number, error: (status: number, message: string) => Reply): Reply {
  if (status === 502 || status === 503 || status === 504) {
    const text = { 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' }[status];
    return {
      status,
      raw: `<html><head><title>${status} ${text}</title></head><body><h1>${status} ${text}</h1></body></html>`,
      contentType: 'text/html',
      ...(status === 503 ? { headers: { 'Retry-After': '1' } } : {}),
    };
  }
  if (status === 429) {
    const reply = error(429, 'Rate limit exceeded.');
    return { ...reply, headers: { ...reply.headers, 'Retry-After': '1' } };
  }
  return error(status, `Internal server error (injected by the sandbox, status ${status})`);
}
