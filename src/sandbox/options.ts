// What startSandbox takes and gives back: the options (core knobs plus the product's), the handle tests and
// the CLI hold, and the record of every request it served.
import type { Credentials } from './auth.ts';
import type { GeneratorOptions } from './generator.ts';
import type { FailNextOptions, FaultCounts, FaultOptions, FaultStatus, RateLimitOptions } from './knobs.ts';
import type { PlatformId, ProductKnobs } from './product.ts';
import type { BitbucketVersion } from './products/bitbucket-dc/versions.ts';
import type { CloudVersion } from './products/cloud/index.ts';
import type { ConfluenceVersion } from './products/confluence-dc/versions.ts';
import type { CrowdVersion } from './products/crowd/index.ts';
import type { JiraVersion } from './products/jira-dc/versions.ts';
import type { Scenario } from './scenario.ts';
import type { SandboxStore } from './store.ts';

/** A version of one of the products (checked against the chosen platform's list at start). */
export type SandboxVersion = JiraVersion | ConfluenceVersion | CrowdVersion | BitbucketVersion | CloudVersion;

export interface SandboxOptions extends ProductKnobs {
  /** Which product to be (default 'jira-dc'). */
  platform?: PlatformId;
  /**
   * Which version of it (default: Jira '10.3', Confluence '10.2', Bitbucket '9.4'): paging styles, caps, activity fields,
   * basic auth default, which resources exist.
   */
  version?: SandboxVersion;
  /** Default 0 = a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** e.g. '/jira' or '/confluence'; default none. */
  contextPath?: string;
  /** Start state: a scenario object, a JSON file, or generator options (`now` defaults to the sandbox's). */
  scenario?: Scenario;
  scenarioFile?: string;
  /** The product's admin and access groups are the defaults of the generated groups. */
  generate?: Omit<GeneratorOptions, 'now'> & { now?: Date };
  /** "Today" for generated data and new users; default: the clock. */
  now?: Date;
  /** Milliseconds since epoch, for rate limiting, login times, long tasks and server times; default Date.now. */
  clock?: () => number;
  /** Overrides of the accepted credentials (defaults: admin / admin, random token and app password). */
  credentials?: Partial<Credentials>;
  rateLimit?: RateLimitOptions;
  faults?: FaultOptions;
  /** Lowers every paged endpoint's page-size cap. */
  maxPageSize?: number;
  /** The CAPTCHA after N failed Basic logins of one username; off by default. */
  captchaAfterFailures?: number;
  /** How injected latency waits (default a real timer); tests pass one that only counts, to stay fast. */
  sleep?: (ms: number) => Promise<void>;
  /**
   * Called for every request once it was handled and recorded, before its answer is written: a test can stop
   * the client right there (a request the instance carried out whose answer never arrives).
   */
  beforeReply?: (request: RecordedRequest) => void | Promise<void>;
}

export interface RecordedRequest {
  seq: number;
  /** ISO time from the sandbox clock. */
  at: string;
  method: string;
  /** Path below the context path, e.g. /rest/api/2/group/user. */
  path: string;
  query: Record<string, string | string[]>;
  /** Parsed JSON body, the raw text when it is not JSON, or null. */
  body: unknown;
  /** HTTP status answered; 0 when the connection was reset. */
  status: number;
  /** Username the request ran as, or null. */
  user: string | null;
  /** The request changed what the instance holds (a write carried out, not a no-op or a refusal). */
  changed: boolean;
}

/** Knobs a running sandbox can change. */
export interface RuntimeKnobs extends ProductKnobs {
  faults?: FaultOptions;
  /** null switches rate limiting off. */
  rateLimit?: RateLimitOptions | null;
  maxPageSize?: number;
}

export interface SandboxHandle {
  /** Base URL including the context path, no trailing slash. */
  url: string;
  platform: PlatformId;
  version: SandboxVersion;
  store: SandboxStore;
  /** Every mutating (non-GET/HEAD) request, in order. */
  requests: RecordedRequest[];
  /** Every request, in order. */
  allRequests: RecordedRequest[];
  credentials: Credentials;
  /** Fails the next request(s) whose path (below the context path) starts with pathPrefix. */
  failNext(pathPrefix: string, status: FaultStatus, opts?: FailNextOptions): void;
  /** What the fault injector did so far: statuses, resets, 429 storms, latency spikes. */
  faultCounts(): FaultCounts;
  /** Changes knobs on a running sandbox. `rateLimit: null` switches rate limiting off. */
  configure(knobs: RuntimeKnobs): void;
  /** The banner `aup sandbox` prints: product, version, URL, directory, credentials. */
  bannerLines(): string[];
  close(): Promise<void>;
}
