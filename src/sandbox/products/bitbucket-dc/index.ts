// The bitbucket-dc product: Bitbucket Data Center's user administration REST API 1.0 (atlassian-api.md §4,
// §10; the DC OpenAPI published in @coderabbitai/bitbucket). Quirks: no Seraph — bad credentials (password
// or token) get 401 at once, whatever the resource, and who a request ran as is in X-AUSERID/X-AUSERNAME;
// lacking a permission is also 401 (AuthorisationException); access comes from global permissions
// (LICENSED_USER, PROJECT_CREATE, ADMIN, SYS_ADMIN) granted to groups or to users directly.
import type { AuthOutcome, Credentials } from '../../auth.ts';
import type { Product, ProductRuntime, ProductStart, Refusal } from '../../product.ts';
import type { Reply, RouteContext } from '../../reply.ts';
import type { UserRecord } from '../../store.ts';
import { bitbucketDemoScenario } from './demo.ts';
import { bitbucketError, EXCEPTIONS } from './errors.ts';
import { INTERNAL_DIRECTORY_NAME, STASH_USERS_GROUP, SYS_ADMINS_GROUP } from './names.ts';
import { attachBitbucketRecords, rank } from './records.ts';
import { BITBUCKET_ROUTES } from './routes.ts';
import { BITBUCKET_VERSIONS, bitbucketTraits } from './versions.ts';

const NOT_PERMITTED = 'You are not permitted to access this resource';

function refuse(why: Refusal, ctx: RouteContext, detail?: string): Reply {
  switch (why) {
    case 'bad-basic':
      return bitbucketError(
        401,
        'Authentication failed. Please check your credentials and try again.',
        EXCEPTIONS.auth,
      );
    case 'unauthenticated':
    case 'not-licensed':
    case 'not-admin':
      return bitbucketError(401, NOT_PERMITTED, EXCEPTIONS.authorisation);
    case 'basic-disabled':
      return bitbucketError(
        401,
        'Basic authentication with a password is disabled on this instance.',
        EXCEPTIONS.auth,
      );
    case 'captcha':
      return bitbucketError(
        401,
        'CAPTCHA verification is required: log in through the web interface first.',
        EXCEPTIONS.captcha,
      );
    case 'rate-limited':
      return bitbucketError(429, 'You have been rate limited. Try again later.', EXCEPTIONS.rateLimit);
    case 'bad-json':
      return bitbucketError(400, `Unexpected character in JSON body: ${detail ?? ''}`);
    case 'version-lacks-route':
      return bitbucketError(404, `${ctx.path} does not exist on this version.`, EXCEPTIONS.notFound);
  }
}

/** Bitbucket names who a request ran as in X-AUSERID and X-AUSERNAME (no X-Seraph-LoginReason). */
function authHeaders(outcome: AuthOutcome): Record<string, string> {
  return outcome.kind === 'user'
    ? { 'X-AUSERID': String(outcome.user.id), 'X-AUSERNAME': outcome.user.name }
    : {};
}

function start(init: ProductStart): ProductRuntime {
  const store = init.store;
  const records = attachBitbucketRecords(store, init.scenario);
  // The account behind the sandbox's credentials administers the instance (a fresh install's first admin
  // holds SYS_ADMIN directly), unless the scenario already makes it an administrator.
  const account = store.userByName(init.credentials.username);
  if (account && rank(records.effective(account)) < rank('ADMIN')) records.setDirect(account, 'SYS_ADMIN');
  const isAdmin = (user: UserRecord): boolean => rank(records.effective(user)) >= rank('ADMIN');
  const mayUse = (user: UserRecord): boolean =>
    user.active && rank(records.effective(user)) >= rank('LICENSED_USER');
  const basicAuth = init.knobs.basicAuth ?? true;
  return {
    routes: BITBUCKET_ROUTES,
    basicAuth,
    failedBasic: 'reject',
    failedBearer: 'reject',
    authHeaders,
    normalisePath: (path) => path.replace(/^\/rest\/api\/latest\//, '/rest/api/1.0/'),
    error: (status, message) => bitbucketError(status, message),
    refuse,
    isAdmin,
    mayUse,
    configure() {},
    bannerLines(c: Credentials) {
      const licensed = store.users().filter(mayUse).length;
      return [
        `  username: ${c.username}`,
        `  password: ${c.password}${basicAuth ? '' : ' (Basic auth with a password is off: use the token)'}`,
        `  token:    ${c.token}   (HTTP access token: Authorization: Bearer …)`,
        `  ${licensed} licensed users (LICENSED_USER through ${STASH_USERS_GROUP} or granted directly)`,
      ];
    },
  };
}

export const bitbucketDc: Product = {
  id: 'bitbucket-dc',
  name: 'Bitbucket Data Center',
  versions: BITBUCKET_VERSIONS,
  defaultVersion: '9.4',
  fullVersion: (version) => bitbucketTraits(version).full,
  directory: {
    internalDirectoryName: INTERNAL_DIRECTORY_NAME,
    builtInGroups: [STASH_USERS_GROUP],
    // Bitbucket has no user key: the stable identity is the numeric REST id (the slug follows the name).
    userKey: (id) => String(id),
  },
  // Administrators hold ADMIN or SYS_ADMIN, through a group (the demo's sys-admins) or directly.
  adminGroups: [],
  accessGroups: [STASH_USERS_GROUP],
  generatorDefaults: {
    accessGroup: STASH_USERS_GROUP,
    adminGroup: SYS_ADMINS_GROUP,
    internalDirectoryName: INTERNAL_DIRECTORY_NAME,
    legacyKeys: false,
  },
  adminKey: () => undefined,
  demoScenario: bitbucketDemoScenario,
  start,
};

export { STASH_USERS_GROUP, SYS_ADMINS_GROUP } from './names.ts';
export { BITBUCKET_VERSIONS, isBitbucketVersion, type BitbucketVersion } from './versions.ts';
export { bitbucketDemoScenario } from './demo.ts';
export { recordsOf as bitbucketRecords, type GlobalPermission } from './records.ts';
