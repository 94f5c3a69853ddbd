// The crowd product: Crowd Data Center's usermanagement REST API for applications (application name and
// password, remote-address check, XML unless JSON is asked for, {reason, message} errors) and the admin
// REST API for administrators (directory of each user). Quirks modelled: PUT /user replaces the user,
// external applications may not change emails, read-only directories refuse writes with 403, an
// application sees only the directories mapped to it, Active Directory connectors that write user status
// back disable the AD account when Crowd deactivates the user, rate limiting (5.2+) also on applications.
import { authenticateApplication, type Credentials } from '../../auth.ts';
import { applicationAuthFailed } from '../../crowd-rest.ts';
import { json, queryString, type Reply, type RouteContext } from '../../reply.ts';
import type { Product, ProductKnobs, ProductRuntime, ProductStart, Refusal } from '../../product.ts';
import type { UserRecord } from '../../store.ts';
import { crowdDemoScenario } from './demo.ts';
import {
  CONFLUENCE_USERS_GROUP,
  CROWD_ADMIN_GROUP,
  CROWD_INTERNAL_DIRECTORY,
  JIRA_USERS_GROUP,
} from './names.ts';
import { attachCrowdRecords } from './records.ts';
import { crowdRoutes } from './routes.ts';
import type { CrowdState } from './state.ts';

export const CROWD_VERSIONS = ['5.3', '6.1'] as const;
export type CrowdVersion = (typeof CROWD_VERSIONS)[number];
const FULL: Record<CrowdVersion, string> = { '5.3': '5.3.4', '6.1': '6.1.3' };

const DEFAULT_ADDRESSES = ['127.0.0.1', '::1', 'localhost'];

const err = (status: number, reason: string, message: string, headers?: Record<string, string>): Reply =>
  json(status, { reason, message }, headers);

function refuse(why: Refusal, ctx: RouteContext, detail?: string): Reply {
  switch (why) {
    case 'unauthenticated':
    case 'bad-basic':
      return err(401, 'INVALID_USER_AUTHENTICATION', 'Authentication failed', {
        'WWW-Authenticate': 'Basic realm="Crowd"',
      });
    case 'basic-disabled':
    case 'captcha':
      return err(403, 'PERMISSION_DENIED', 'Basic authentication is not allowed');
    case 'not-admin':
    case 'not-licensed':
      return err(403, 'PERMISSION_DENIED', 'Only Crowd administrators may use this resource');
    case 'rate-limited':
      return err(429, 'RATE_LIMITED', 'Rate limit exceeded.');
    case 'bad-json':
      return err(400, 'ILLEGAL_ARGUMENT', `Unexpected character in JSON body: ${detail ?? ''}`);
    case 'version-lacks-route':
      return err(404, 'OPERATION_FAILED', `null for uri: ${ctx.base}${ctx.path}${queryString(ctx.query)}`);
  }
}

const plainAddress = (a: string): string => a.replace(/^::ffff:/, '');

function start(init: ProductStart): ProductRuntime {
  const records = attachCrowdRecords(init.store, init.scenario);
  const state: CrowdState = {
    records,
    forceXml: init.knobs.forceXml ?? false,
    emailChangeByApps: init.knobs.emailChangeByApps ?? false,
    searchAttributes: init.knobs.searchAttributes ?? true,
  };
  let addresses = init.knobs.remoteAddresses ?? DEFAULT_ADDRESSES;
  const isAdmin = (user: UserRecord): boolean => init.store.inAnyGroup(user, [CROWD_ADMIN_GROUP]);
  return {
    routes: crowdRoutes(state),
    basicAuth: true,
    failedBasic: 'reject',
    normalisePath: (path) =>
      path
        .replace(/^\/rest\/usermanagement\/latest(?=\/|$)/, '/rest/usermanagement/1')
        .replace(/^\/rest\/admin\/latest(?=\/|$)/, '/rest/admin/1.0'),
    error: (status, message) => err(status, 'OPERATION_FAILED', message),
    refuse,
    isAdmin,
    mayUse: () => true,
    application: {
      authenticate: (header) => authenticateApplication(header, init.credentials, true),
      failed: applicationAuthFailed,
      refuseAddress: (remote) =>
        addresses.includes(plainAddress(remote))
          ? null
          : {
              status: 403,
              raw: `Client with address "${plainAddress(remote)}" is forbidden from making requests to the application, ${init.credentials.appName}.`,
              contentType: 'text/plain;charset=UTF-8',
            },
      rateLimitKey: `application:${init.credentials.appName}`,
    },
    configure(knobs: ProductKnobs) {
      if (knobs.forceXml !== undefined) state.forceXml = knobs.forceXml;
      if (knobs.emailChangeByApps !== undefined) state.emailChangeByApps = knobs.emailChangeByApps;
      if (knobs.searchAttributes !== undefined) state.searchAttributes = knobs.searchAttributes;
      if (knobs.remoteAddresses !== undefined) addresses = knobs.remoteAddresses;
    },
    bannerLines(c: Credentials) {
      return [
        `  application (/rest/usermanagement/1): ${c.appName} / ${c.appPassword}`,
        `  administrator (/rest/admin/1.0, Basic): ${c.username} / ${c.password}`,
        `  the application sees directories ${records.mapped.join(', ')}; remote addresses ${addresses.join(', ')}`,
      ];
    },
  };
}

/** Crowd keys users by directory and external id: "<directory id>:<uuid>". */
function crowdKey(id: number, user: { directoryId?: number }): string {
  const hex = id.toString(16).padStart(12, '0');
  return `${user.directoryId ?? 1}:5f1c7a3e-0c2d-4e8b-9a61-${hex}`;
}

export const crowd: Product = {
  id: 'crowd',
  name: 'Crowd Data Center',
  versions: CROWD_VERSIONS,
  defaultVersion: '6.1',
  fullVersion: (version) => FULL[version as CrowdVersion] ?? version,
  directory: {
    internalDirectoryName: CROWD_INTERNAL_DIRECTORY,
    builtInGroups: [CROWD_ADMIN_GROUP, JIRA_USERS_GROUP, CONFLUENCE_USERS_GROUP],
    userKey: crowdKey,
  },
  adminGroups: [CROWD_ADMIN_GROUP],
  accessGroups: [JIRA_USERS_GROUP, CONFLUENCE_USERS_GROUP],
  generatorDefaults: {
    accessGroup: JIRA_USERS_GROUP,
    adminGroup: CROWD_ADMIN_GROUP,
    internalDirectoryName: CROWD_INTERNAL_DIRECTORY,
    legacyKeys: false,
  },
  adminKey: () => undefined,
  demoScenario: crowdDemoScenario,
  start,
};

export { CROWD_ADMIN_GROUP, CONFLUENCE_USERS_GROUP, JIRA_USERS_GROUP } from './names.ts';
export { crowdDemoScenario } from './demo.ts';
export { crowdRecords, type CrowdRecords } from './records.ts';
