// A sandbox product: what one Atlassian product adds to the core (server, auth, knobs, faults, store,
// scenarios, request recording, page caps). A product declares its id, versions, directory conventions,
// admin and access groups, routes, auth quirks, error bodies, demo organisation and banner lines.
// Adding one is a folder under products/ and a line in products/registry.ts.
import type { AuthOutcome, Credentials } from './auth.ts';
import type { RateLimitState } from './knobs.ts';
import type { GeneratorOptions } from './generator.ts';
import type { Reply, Route, RouteContext } from './reply.ts';
import type { Scenario } from './scenario.ts';
import type { DirectoryProfile, SandboxStore, UserRecord } from './store.ts';

export type PlatformId = 'jira-dc' | 'confluence-dc' | 'crowd' | 'bitbucket-dc' | 'cloud';

/** Why the core refuses a request before its route runs; each product words (and shapes) it its own way. */
export type Refusal =
  /** No valid credentials on a resource that needs them. */
  | 'unauthenticated'
  /**
   * A wrong Basic password where the product refuses at once (Confluence, Bitbucket) instead of going
   * anonymous; also a bad token where `failedBearer` is 'reject' (Bitbucket).
   */
  | 'bad-basic'
  /** Basic with a password while the instance has it switched off (Jira 11). */
  | 'basic-disabled'
  /** Too many failed logins: the CAPTCHA (X-Seraph-LoginReason: AUTHENTICATION_DENIED). */
  | 'captcha'
  /** Authenticated, but without product access (Confluence's "Can use"). */
  | 'not-licensed'
  | 'not-admin'
  | 'rate-limited'
  | 'bad-json'
  /** The emulated version has no such resource. */
  | 'version-lacks-route';

/** Product knobs, set at start (SandboxOptions) or on a running sandbox (configure). */
export interface ProductKnobs {
  /** Basic auth with passwords; default per version (off on Jira 11.3). PATs always work. */
  basicAuth?: boolean;
  /** jira-dc: Jira as a Crowd server (/rest/usermanagement/1) accepts the application credentials. */
  crowdApplication?: boolean;
  /** confluence-dc: anonymous users have "Can use" (default false). */
  anonymousAccess?: boolean;
  /** confluence-dc: how user-deletion long tasks behave. */
  deleteTasks?: DeleteTaskOptions;
  /** confluence-dc: lastLogin on admin/users/list/active as an ISO date-time (default) or epoch ms. */
  lastLoginFormat?: 'iso' | 'epoch-ms';
  /** crowd: addresses the application may call from (default 127.0.0.1, ::1, localhost); others get 403. */
  remoteAddresses?: string[];
  /**
   * crowd: external applications may change a user's email (Crowd's system property; default false): a PUT
   * /user whose email differs from the stored one, or has none, is then applied (blanking it) instead of 403.
   */
  emailChangeByApps?: boolean;
  /**
   * crowd, jira-dc (embedded Crowd): the user search (/search?entity-type=user) honours
   * expand=user,attributes (default true); false answers whole users without their attribute lists, as a
   * server that ignores the expansion.
   */
  searchAttributes?: boolean;
  /** crowd: answer XML whatever the Accept header asks (a proxy that drops it). */
  forceXml?: boolean;
  /**
   * cloud: the deprecated list endpoints (`GET …/users`, `GET …/groups`, v1 users/search, v1
   * suspend-access/restore-access) answer 410 as retired, as after their dates (default: still served).
   */
  retireDeprecated?: boolean;
  /** cloud: users/search honours `expand: [productAccess]` (default true); false leaves the field out. */
  productAccessExpand?: boolean;
  /**
   * cloud: the scopes of the organisation API key; absent or null = a key without scopes (may do
   * everything). A key with scopes may only read what its scopes name; every write answers 403.
   */
  apiKeyScopes?: string[] | null;
  /** cloud: the status of successful suspend, restore, remove and membership writes (default 204). */
  writeStatus?: 200 | 204;
  /** cloud: a removed user is still listed by this many users/search answers (asynchronous removal). */
  removalLag?: number;
}

/** How a product authenticates Crowd applications (Basic with the application's name and password). */
export interface ApplicationAuth {
  authenticate(header: string | undefined): boolean;
  failed(): Reply;
  /** The refusal for a caller address the application does not allow (Crowd's remote addresses), or null. */
  refuseAddress?(remoteAddress: string): Reply | null;
  /** Application requests take tokens from the rate limiter under this name (Crowd DC 5.2+); absent = not limited. */
  rateLimitKey?: string;
}

/** confluence-dc: the long task DELETE /rest/api/admin/user/{username} starts. */
export interface DeleteTaskOptions {
  /** The poll (GET /rest/api/longtask/{id}) that finds the task finished; default 2. */
  polls?: number;
  /** Finish failed with this message; the user stays. */
  failWith?: string | null;
  /** Never finish (stuck at 50%). */
  hang?: boolean;
  /** Apply failWith / hang only to these usernames (default: every deletion). */
  usernames?: string[];
}

export interface ProductStart {
  version: string;
  store: SandboxStore;
  scenario: Scenario;
  credentials: Credentials;
  clock: () => number;
  knobs: ProductKnobs;
}

/** One running product: its routes and how it answers what the core decides before a route runs. */
export interface ProductRuntime {
  routes: readonly Route[];
  /** Basic auth with a password works. */
  basicAuth: boolean;
  /** A wrong Basic password: carry on as anonymous with X-Seraph-LoginReason (Jira) or answer 401 (Confluence). */
  failedBasic: 'anonymous' | 'reject';
  /** A bad token: carry on as anonymous (Seraph products, the default) or answer 401 at once (Bitbucket). */
  failedBearer?: 'anonymous' | 'reject';
  /** The headers saying who the request ran as; default Seraph's (X-AUSERNAME, X-Seraph-LoginReason). */
  authHeaders?(outcome: AuthOutcome): Record<string, string>;
  /** Rate-limit headers in the product's words; default Data Center's (X-RateLimit-FillRate, Retry-After…). */
  rateLimitHeaders?(state: RateLimitState): Record<string, string>;
  /** Maps path aliases to the modelled path (Jira: /rest/api/latest → /rest/api/2). */
  normalisePath(path: string): string;
  /** The product's error body for `status` with `message` (faults, unmodelled routes). */
  error(status: number, message: string): Reply;
  refuse(why: Refusal, ctx: RouteContext, detail?: string): Reply;
  isAdmin(user: UserRecord): boolean;
  /** May use the product at all (Confluence: "Can use"); routes of access 'user' need it. */
  mayUse(user: UserRecord): boolean;
  /** Crowd application authentication (Crowd, Jira's embedded Crowd); absent where the product has none. */
  application?: ApplicationAuth;
  configure(knobs: ProductKnobs): void;
  /** Lines of the `aup sandbox` banner about credentials and product specifics. */
  bannerLines(credentials: Credentials): string[];
}

export interface Product {
  id: PlatformId;
  /** e.g. "Jira Data Center". */
  name: string;
  versions: readonly string[];
  defaultVersion: string;
  /** The full version the product reports, e.g. 10.3.6. */
  fullVersion(version: string): string;
  directory: DirectoryProfile;
  /** Groups whose members administer the product. */
  adminGroups: readonly string[];
  /** Default groups granting product access (Jira Software users, Confluence "Can use"). */
  accessGroups: readonly string[];
  /** How generated organisations look in this product (its groups, directory name, key style). */
  generatorDefaults: Pick<
    GeneratorOptions,
    'accessGroup' | 'adminGroup' | 'internalDirectoryName' | 'legacyKeys'
  >;
  /** The key the set-up administrator account gets; undefined = the product's usual style. */
  adminKey(username: string): string | undefined;
  /** The seeded demo organisation (`aup sandbox`, `aup demo`), deterministic for a given `now`. */
  demoScenario(now: Date): Scenario;
  start(init: ProductStart): ProductRuntime;
}
