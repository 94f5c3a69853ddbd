// The cloud product: an Atlassian Cloud organisation's admin API (atlassian-api.md §1, §10; the shapes of the
// spec-generated jira.js admin module). Quirks modelled: the organisation API key (Bearer) belongs to no
// user; a POST without the JSON content type is answered 415 (the gateway); two error body shapes (the
// spec's `errors[]`, the gateway's `{message}` on 401/403); 429 with Retry-After and X-RateLimit-Limit,
// -Remaining and -Reset (an ISO-8601 date); keys with scopes may only read; deprecated lists retire on a
// knob; users of a read-only directory are synced from an identity provider, as are its groups.
import { timingSafeEqual } from 'node:crypto';
import type { Credentials } from '../../auth.ts';
import type { RateLimitState } from '../../knobs.ts';
import type { Product, ProductKnobs, ProductRuntime, ProductStart, Refusal } from '../../product.ts';
import type { Reply, RouteContext } from '../../reply.ts';
import { cloudDemoScenario } from './demo.ts';
import { gatewayError, specError } from './errors.ts';
import {
  CLOUD_DIRECTORY_NAME,
  CONFLUENCE_USERS_GROUP,
  JIRA_USERS_GROUP,
  ORG_ADMINS_GROUP,
  SITE_ADMINS_GROUP,
} from './names.ts';
import { accountIdOf, attachCloudRecords } from './records.ts';
import { cloudRoutes } from './routes.ts';
import type { CloudKnobs, CloudState } from './state.ts';

export const CLOUD_VERSIONS = ['v2'] as const;
export type CloudVersion = (typeof CLOUD_VERSIONS)[number];

function refuse(now: () => number) {
  return (why: Refusal, ctx: RouteContext, detail?: string): Reply => {
    switch (why) {
      case 'rate-limited':
        return specError(429, 'Rate limit exceeded. Retry after the time in the Retry-After header.');
      case 'bad-json':
        return specError(400, `The request body is not valid JSON: ${detail ?? ''}`);
      case 'version-lacks-route':
        return specError(404, `${ctx.path} does not exist.`);
      case 'unauthenticated':
      case 'bad-basic':
      case 'basic-disabled':
      case 'captcha':
        return gatewayError(401, ctx.path, 'Unauthorized', now());
      case 'not-admin':
      case 'not-licensed':
        return gatewayError(403, ctx.path, 'Forbidden', now());
    }
  };
}

/** Cloud's rate-limit headers: the reset as an ISO-8601 date (atlassian-api.md §10, "likely"). */
function rateLimitHeaders(s: RateLimitState): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(s.limit),
    'X-RateLimit-Remaining': String(s.remaining),
    'X-RateLimit-Reset': new Date(s.resetAt).toISOString(),
    ...(s.retryAfterSeconds > 0 ? { 'Retry-After': String(s.retryAfterSeconds) } : {}),
  };
}

function bearer(header: string | undefined, token: string): boolean {
  const [scheme = '', value = ''] = (header ?? '').trim().split(/\s+/, 2);
  if (scheme.toLowerCase() !== 'bearer') return false;
  const a = Buffer.from(value);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function knobsOf(k: ProductKnobs, prior?: CloudKnobs): CloudKnobs {
  return {
    retireDeprecated: k.retireDeprecated ?? prior?.retireDeprecated ?? false,
    productAccessExpand: k.productAccessExpand ?? prior?.productAccessExpand ?? true,
    apiKeyScopes: k.apiKeyScopes !== undefined ? k.apiKeyScopes : (prior?.apiKeyScopes ?? null),
    writeStatus: k.writeStatus ?? prior?.writeStatus ?? 204,
    removalLag: k.removalLag ?? prior?.removalLag ?? 0,
  };
}

function start(init: ProductStart): ProductRuntime {
  const state: CloudState = {
    records: attachCloudRecords(init.store, init.scenario),
    knobs: knobsOf(init.knobs),
  };
  return {
    routes: cloudRoutes(state),
    basicAuth: false,
    failedBasic: 'reject',
    failedBearer: 'reject',
    authHeaders: () => ({}),
    rateLimitHeaders,
    normalisePath: (path) => path,
    error: (status, message) => specError(status, message),
    refuse: refuse(init.clock),
    isAdmin: () => false,
    mayUse: () => false,
    application: {
      authenticate: (header) => bearer(header, init.credentials.token),
      failed: () => gatewayError(401, '/admin', 'Unauthorized', init.clock()),
      rateLimitKey: 'organisation API key',
    },
    configure(knobs: ProductKnobs) {
      state.knobs = knobsOf(knobs, state.knobs);
    },
    bannerLines(c: Credentials) {
      const r = state.records;
      return [
        `  organisation: ${r.orgId} (${r.orgName}): instance.org`,
        `  API key:      ${c.token}   (ATLASSIAN_TOKEN, Authorization: Bearer …; ${state.knobs.apiKeyScopes ? `scopes ${state.knobs.apiKeyScopes.join(', ')}` : 'without scopes'})`,
        `  directories:  ${init.store.directories.map((d) => `${d.name} ${r.directoryId(d)}`).join(', ')}`,
        `  products:     ${r.products.join(', ')}; the deprecated list endpoints are ${state.knobs.retireDeprecated ? 'retired' : 'still served'}`,
      ];
    },
  };
}

export const cloud: Product = {
  id: 'cloud',
  name: 'Atlassian Cloud organization',
  versions: CLOUD_VERSIONS,
  defaultVersion: 'v2',
  fullVersion: () => '(admin API v2)',
  directory: {
    internalDirectoryName: CLOUD_DIRECTORY_NAME,
    builtInGroups: [ORG_ADMINS_GROUP, SITE_ADMINS_GROUP, JIRA_USERS_GROUP, CONFLUENCE_USERS_GROUP],
    userKey: (id) => accountIdOf(id),
  },
  adminGroups: [ORG_ADMINS_GROUP],
  accessGroups: [JIRA_USERS_GROUP, CONFLUENCE_USERS_GROUP],
  generatorDefaults: {
    accessGroup: JIRA_USERS_GROUP,
    adminGroup: ORG_ADMINS_GROUP,
    internalDirectoryName: CLOUD_DIRECTORY_NAME,
    legacyKeys: false,
  },
  adminKey: () => undefined,
  demoScenario: cloudDemoScenario,
  start,
};

export {
  CLOUD_ORG_ID,
  CONFLUENCE_USERS_GROUP as CLOUD_CONFLUENCE_GROUP,
  JIRA_USERS_GROUP as CLOUD_JIRA_GROUP,
  ORG_ADMINS_GROUP,
  SITE_ADMINS_GROUP,
} from './names.ts';
export { cloudDemoScenario } from './demo.ts';
export { accountIdOf, cloudDirectoryId, cloudRecords, type CloudRecords } from './records.ts';
