// The public shapes of the HTTP client: options, requests, responses, counters.

export type Auth =
  | { type: 'basic'; username: string; password: string }
  | { type: 'bearer'; token: string }
  | { type: 'none' };

/** Query parameters; arrays repeat the parameter (`accountIds=a&accountIds=b`), undefined/null are left out. */
export type QueryValue =
  string | number | boolean | null | undefined | readonly (string | number | boolean)[];
export type Query = Readonly<Record<string, QueryValue>>;

export interface HttpClientOptions {
  /** Product base URL, with its context path if any: `https://host/jira`. Must not carry credentials. */
  baseUrl: string;
  auth?: Auth;
  /** Plan mode: refuse every non-GET request except POSTs whose path matches `readOnlyAllow`. */
  readOnly: boolean;
  /** Paths (relative to the base URL, without query) of POSTs that only read, e.g. `/^\/rest\/admin\/1\.0\/users\/search$/`. */
  readOnlyAllow?: readonly RegExp[];
  /** Requests in flight at once (= undici Pool connections). Default 8. */
  concurrency?: number;
  /** Connect, headers and body (between chunks) timeout in ms. Default 30 000. */
  timeoutMs?: number;
  /** Deadline of one attempt, request to last byte of the answer, in ms. Default max(120 000, 4 × timeoutMs). */
  deadlineMs?: number;
  /** Repeats after 5xx / network errors (idempotent requests only). Default 4. */
  retries?: number;
  /** Waits on 429 / 503-with-Retry-After before giving up. Default 5. */
  maxThrottleWaits?: number;
  /** A Retry-After longer than this fails the request instead of stalling the run. Default 60 000. */
  maxRetryAfterMs?: number;
  /** Exponential backoff base and ceiling (full jitter). Defaults 500 and 30 000. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  userAgent?: string;
  /** Injectable time base, so tests do not wait. Defaults: timers/promises setTimeout, Math.random, Date.now. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
  /**
   * Recognises a response whose headers say the credentials were rejected although the status looks fine
   * (Data Center: `X-Seraph-LoginReason`). Such a response fails with an AuthError and is never retried.
   */
  loginFailure?: (headers: ResponseHeaders) => { reason: string; detail: string } | undefined;
  /** Retry and throttle notices; messages never contain credentials. */
  log?: (message: string) => void;
  /** Progress: every answer, throttle wait and retry, as it happens. Default: none. */
  onEvent?: (event: HttpEvent) => void;
}

/** What the client reports to `onEvent`. Paths are relative to the base URL, without the query string. */
export type HttpEvent =
  | {
      type: 'response';
      method: string;
      path: string;
      status: number;
      /** The number of items when the body is a page (an array, or an envelope of one). */
      items?: number;
      /** The envelope field that holds them (`values`, `users`…; '' for a bare array). */
      itemsField?: string;
    }
  | { type: 'throttle'; method: string; path: string; waitMs: number }
  | { type: 'retry'; method: string; path: string; waitMs: number; reason: string };

export interface RequestOptions {
  query?: Query;
  /** Serialised as JSON. A POST without a body sends `{}` (the Cloud admin API answers 415 to an empty POST). */
  body?: unknown;
  /**
   * This POST may be sent again after a 5xx or a lost answer: the driver reads a repeat as already-in-state
   * (a membership that already exists, or is already gone). Without it a POST is never repeated.
   */
  idempotent?: boolean;
}

export type ResponseHeaders = Record<string, string | string[] | undefined>;

export interface HttpResponse<T> {
  status: number;
  headers: ResponseHeaders;
  /** Parsed JSON for JSON responses, text for other non-empty bodies, undefined for an empty body. */
  body: T;
}

/** Counters for the reports. `requests` counts attempts on the wire, retries and waits included. */
export interface HttpStats {
  requests: number;
  byMethod: Record<string, number>;
  byStatus: Record<string, number>;
  /** Repeats after 5xx or network errors. */
  retries: number;
  /** Waits on 429 / 503-with-Retry-After, and their total duration. */
  throttled: number;
  throttledMs: number;
  /** Calls that ended in an HttpError/AuthError. */
  errors: number;
  /** Writes refused by the read-only guard. */
  refused: number;
  bytesReceived: number;
}

export interface HttpClient {
  /** The base URL, normalised, without trailing slash. */
  readonly baseUrl: string;
  readonly readOnly: boolean;
  get<T = unknown>(path: string, query?: Query): Promise<HttpResponse<T>>;
  /** GET that insists on a JSON body: a 2xx HTML page (SSO interstitial, login form) is an error, not data. */
  getJson<T>(path: string, query?: Query): Promise<T>;
  post<T = unknown>(path: string, options?: RequestOptions): Promise<HttpResponse<T>>;
  put<T = unknown>(path: string, options?: RequestOptions): Promise<HttpResponse<T>>;
  delete<T = unknown>(path: string, options?: RequestOptions): Promise<HttpResponse<T>>;
  stats(): HttpStats;
  /** Closes the connection pool; pending requests finish first. */
  close(): Promise<void>;
}
