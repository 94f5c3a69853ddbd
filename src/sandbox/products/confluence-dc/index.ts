// The confluence-dc product: Confluence Data Center's user administration REST API (atlassian-api.md §3,
// §10). Quirks: a bad PAT is served as anonymous (200 + X-Seraph-LoginReason where anonymous access is
// allowed) but a bad Basic password gets 401; "Can use" comes from confluence-users (and
// confluence-administrators); admin resources need confluence-administrators; read-only directories
// swallow disable/enable and membership writes with a 204; deletion is a long task.
import type { Credentials } from '../../auth.ts';
import { queryString, type Reply, type RouteContext } from '../../reply.ts';
import type { Product, ProductKnobs, ProductRuntime, ProductStart, Refusal } from '../../product.ts';
import type { UserRecord } from '../../store.ts';
import { confluenceDemoScenario } from './demo.ts';
import { confluenceError } from './errors.ts';
import { LongTasks } from './longtasks.ts';
import { CONFLUENCE_ADMIN_GROUP, CONFLUENCE_USERS_GROUP, INTERNAL_DIRECTORY_NAME } from './names.ts';
import { confluenceRoutes } from './routes.ts';
import type { ConfluenceState } from './state.ts';
import { CONFLUENCE_VERSIONS, confluenceTraits } from './versions.ts';

const LICENSED = [CONFLUENCE_USERS_GROUP, CONFLUENCE_ADMIN_GROUP];

function refuse(why: Refusal, ctx: RouteContext, detail?: string): Reply {
  switch (why) {
    case 'bad-basic':
      // Seraph's answer to a wrong Basic password on Confluence: 401 at once, whatever the resource.
      return {
        status: 401,
        raw: 'Basic Authentication Failure - Reason : AUTHENTICATED_FAILED',
        contentType: 'text/html;charset=UTF-8',
        headers: { 'WWW-Authenticate': 'Basic realm="Confluence"' },
      };
    case 'unauthenticated':
      return confluenceError(401, 'This resource requires an authenticated user');
    case 'basic-disabled':
      return confluenceError(403, 'Basic Authentication has been disabled on this instance.');
    case 'captcha':
      return {
        ...confluenceError(403, 'CAPTCHA_CHALLENGE'),
        headers: {
          'X-Authentication-Denied-Reason': `CAPTCHA_CHALLENGE; login-url=${ctx.base}/login.action`,
        },
      };
    case 'not-licensed':
      return confluenceError(403, 'User is not permitted to use Confluence');
    case 'not-admin':
      return confluenceError(403, 'Only a Confluence administrator can perform this operation');
    case 'rate-limited':
      return confluenceError(429, 'Rate limit exceeded.');
    case 'bad-json':
      return confluenceError(400, `Unexpected character in JSON body: ${detail ?? ''}`);
    case 'version-lacks-route':
      return confluenceError(404, `null for uri: ${ctx.base}${ctx.path}${queryString(ctx.query)}`);
  }
}

function start(init: ProductStart): ProductRuntime {
  const store = init.store;
  const mayUse = (user: UserRecord): boolean => user.active && store.inAnyGroup(user, LICENSED);
  const isAdmin = (user: UserRecord): boolean => store.inAnyGroup(user, [CONFLUENCE_ADMIN_GROUP]);
  const state: ConfluenceState = {
    store,
    tasks: new LongTasks(store, init.knobs.deleteTasks),
    anonymousAccess: init.knobs.anonymousAccess ?? false,
    lastLoginFormat: init.knobs.lastLoginFormat ?? 'iso',
    mayUse,
    isAdmin,
  };
  const basicAuth = init.knobs.basicAuth ?? true;
  return {
    routes: confluenceRoutes(state),
    basicAuth,
    failedBasic: 'reject',
    normalisePath: (path) => path,
    error: confluenceError,
    refuse,
    isAdmin,
    mayUse,
    configure(knobs: ProductKnobs) {
      if (knobs.anonymousAccess !== undefined) state.anonymousAccess = knobs.anonymousAccess;
      if (knobs.lastLoginFormat !== undefined) state.lastLoginFormat = knobs.lastLoginFormat;
      if (knobs.deleteTasks !== undefined) state.tasks.configure(knobs.deleteTasks);
    },
    bannerLines(c: Credentials) {
      return [
        `  username: ${c.username}`,
        `  password: ${c.password}${basicAuth ? '' : ' (Basic auth is off: use the token)'}`,
        `  token:    ${c.token}   (Authorization: Bearer …)`,
        `  anonymous access: ${state.anonymousAccess ? 'on' : 'off'}; user deletions finish after ` +
          `${Math.max(1, init.knobs.deleteTasks?.polls ?? 2)} polls of /rest/api/longtask/{id}`,
      ];
    },
  };
}

export const confluenceDc: Product = {
  id: 'confluence-dc',
  name: 'Confluence Data Center',
  versions: CONFLUENCE_VERSIONS,
  defaultVersion: '10.2',
  fullVersion: (version) => confluenceTraits(version).full,
  directory: {
    internalDirectoryName: INTERNAL_DIRECTORY_NAME,
    builtInGroups: [CONFLUENCE_ADMIN_GROUP, CONFLUENCE_USERS_GROUP],
    // Confluence keys users by an opaque 32-digit hex string (e.g. 2c90b2828dee4d35018defef1f8f0005).
    userKey: (id) => `8aa0808a${id.toString(16).padStart(24, '0')}`,
  },
  adminGroups: [CONFLUENCE_ADMIN_GROUP],
  accessGroups: [CONFLUENCE_USERS_GROUP],
  generatorDefaults: {
    accessGroup: CONFLUENCE_USERS_GROUP,
    adminGroup: CONFLUENCE_ADMIN_GROUP,
    internalDirectoryName: INTERNAL_DIRECTORY_NAME,
    legacyKeys: false,
  },
  adminKey: () => undefined,
  demoScenario: confluenceDemoScenario,
  start,
};

export { CONFLUENCE_ADMIN_GROUP, CONFLUENCE_USERS_GROUP } from './names.ts';
export { CONFLUENCE_VERSIONS, isConfluenceVersion, type ConfluenceVersion } from './versions.ts';
export { confluenceDemoScenario } from './demo.ts';
