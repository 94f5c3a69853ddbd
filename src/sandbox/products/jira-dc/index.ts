// The jira-dc product: Jira Data Center REST v2, its embedded Crowd (login times), application roles,
// jira-administrators, and Seraph's habit of serving bad credentials (password or token) as anonymous.
import { authenticateApplication, type Credentials } from '../../auth.ts';
import { json, type Reply, type RouteContext } from '../../reply.ts';
import type { Product, ProductKnobs, ProductRuntime, ProductStart, Refusal } from '../../product.ts';
import type { UserRecord } from '../../store.ts';
import { applicationAuthFailed, jiraCrowdRoutes } from './crowd.ts';
import { demoScenario } from './demo.ts';
import { jiraError, restNotFound } from './errors.ts';
import { INTERNAL_DIRECTORY_NAME } from './names.ts';
import { ADMIN_GROUP, attachJiraRecords, JIRA_DIRECTORY, SOFTWARE_GROUP } from './records.ts';
import { JIRA_ROUTES } from './routes.ts';
import { JIRA_VERSIONS, traits, type JiraVersion } from './versions.ts';

function refuse(why: Refusal, ctx: RouteContext, detail?: string): Reply {
  switch (why) {
    case 'basic-disabled':
      return json(403, { message: 'Basic Authentication has been disabled on this instance.' });
    case 'captcha':
      return {
        ...jiraError(403, ['CAPTCHA_CHALLENGE']),
        headers: { 'X-Authentication-Denied-Reason': `CAPTCHA_CHALLENGE; login-url=${ctx.base}/login.jsp` },
      };
    case 'rate-limited':
      return jiraError(429, ['Rate limit exceeded.']);
    case 'unauthenticated':
    case 'bad-basic':
      return {
        ...jiraError(401, ['You are not authenticated. Authentication required to perform this operation.']),
        headers: { 'WWW-Authenticate': `OAuth realm="${ctx.base}"` },
      };
    case 'not-admin':
    case 'not-licensed':
      return jiraError(403, [
        'You are not authorized to perform this action. Administrator privileges are required.',
      ]);
    case 'bad-json':
      return jiraError(400, [`Unexpected character in JSON body: ${detail ?? ''}`]);
    case 'version-lacks-route':
      return restNotFound(ctx);
  }
}

function start(init: ProductStart): ProductRuntime {
  const version = init.version as JiraVersion;
  attachJiraRecords(init.store, init.scenario);
  let crowdEnabled = init.knobs.crowdApplication ?? true;
  let searchAttributes = init.knobs.searchAttributes ?? true;
  const basicAuth = init.knobs.basicAuth ?? traits(version).basicAuthByDefault;
  const isAdmin = (user: UserRecord): boolean => init.store.inAnyGroup(user, [ADMIN_GROUP]);
  return {
    routes: [...JIRA_ROUTES, ...jiraCrowdRoutes({ searchAttributes: () => searchAttributes })],
    basicAuth,
    failedBasic: 'anonymous',
    normalisePath: (path) => path.replace(/^\/rest\/api\/latest\//, '/rest/api/2/'),
    error: (status, message) => jiraError(status, [message]),
    refuse,
    isAdmin,
    mayUse: () => true,
    application: {
      authenticate: (header) => authenticateApplication(header, init.credentials, crowdEnabled),
      failed: applicationAuthFailed,
    },
    configure(knobs: ProductKnobs) {
      if (knobs.crowdApplication !== undefined) crowdEnabled = knobs.crowdApplication;
      if (knobs.searchAttributes !== undefined) searchAttributes = knobs.searchAttributes;
    },
    bannerLines(c: Credentials) {
      return [
        `  username: ${c.username}`,
        `  password: ${c.password}${basicAuth ? '' : ' (Basic auth is off on this version: use the token)'}`,
        `  token:    ${c.token}   (Authorization: Bearer …)`,
        `  Crowd application (/rest/usermanagement/1): ${c.appName} / ${c.appPassword}`,
      ];
    },
  };
}

export const jiraDc: Product = {
  id: 'jira-dc',
  name: 'Jira Data Center',
  versions: JIRA_VERSIONS,
  defaultVersion: '10.3',
  fullVersion: (version) => traits(version as JiraVersion).full,
  directory: JIRA_DIRECTORY,
  adminGroups: [ADMIN_GROUP],
  accessGroups: [SOFTWARE_GROUP],
  generatorDefaults: {
    accessGroup: SOFTWARE_GROUP,
    adminGroup: ADMIN_GROUP,
    internalDirectoryName: INTERNAL_DIRECTORY_NAME,
    legacyKeys: true,
  },
  // The account that set the instance up is its oldest: keyed by its name, like pre-8.4 users.
  adminKey: (username) => username.toLowerCase(),
  demoScenario,
  start,
};

export { ADMIN_GROUP, SOFTWARE_GROUP, type ApplicationRoleRecord } from './records.ts';
export { JIRA_VERSIONS, isJiraVersion, type JiraVersion } from './versions.ts';
export { demoScenario } from './demo.ts';
