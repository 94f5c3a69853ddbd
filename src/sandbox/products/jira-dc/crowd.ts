// Jira as a Crowd server ("JIRA User Server"): /rest/usermanagement/1 with *application* credentials.
// It is where Jira's login times live for versions whose user bean lacks lastLoginTime
// (atlassian-api.md §2.5, §2.6, decision 2 of §9): attribute login.lastLoginMillis and friends.
// The wire format (JSON on Accept: application/json, XML otherwise) is Crowd's, in ../../crowd-rest.ts.
import {
  applicationAuthFailed,
  attributesEntity,
  attributesXml,
  type CrowdAttribute,
  isReply,
  splitDisplayName,
  targetUser,
  userEntity,
  userXml,
  wantsJson,
  xml,
} from '../../crowd-rest.ts';
import type { Reply, Route, RouteContext } from '../../reply.ts';
import type { UserRecord } from '../../store.ts';

export { applicationAuthFailed };

/** The attributes Jira keeps for a user in cwd_user_attributes. Never-logged-in users have no login.*. */
export function userAttributes(user: UserRecord, internal: boolean): CrowdAttribute[] {
  const attrs: CrowdAttribute[] = [];
  const ms = (iso: string): string => String(Date.parse(iso));
  if (user.lastLogin) {
    attrs.push({ name: 'login.count', values: [String(Math.max(1, user.loginCount))] });
    attrs.push({ name: 'login.lastLoginMillis', values: [ms(user.lastLogin)] });
    if (user.previousLogin)
      attrs.push({ name: 'login.previousLoginMillis', values: [ms(user.previousLogin)] });
  }
  if (internal) {
    attrs.push({ name: 'passwordLastChanged', values: [ms(user.created)] });
    attrs.push({ name: 'requiresPasswordChange', values: ['false'] });
  }
  return attrs;
}

const attributesOf = (ctx: RouteContext, user: UserRecord): CrowdAttribute[] =>
  userAttributes(user, ctx.store.directory(user.directoryId)?.type === 'INTERNAL');

const find = (ctx: RouteContext) => (q: { username?: string; key?: string }) =>
  q.username ? ctx.store.userByName(q.username) : ctx.store.userByKey(q.key ?? '');

function getAttributes(ctx: RouteContext): Reply {
  const user = targetUser(ctx, find(ctx));
  if (isReply(user)) return user;
  const entity = attributesEntity(ctx, user, attributesOf(ctx, user));
  if (!wantsJson(ctx)) return xml(200, attributesXml(entity));
  return { status: 200, body: entity };
}

function getCrowdUser(ctx: RouteContext): Reply {
  const user = targetUser(ctx, find(ctx));
  if (isReply(user)) return user;
  const expandAttributes = (ctx.query.get('expand') ?? '').split(',').includes('attributes');
  const entity = userEntity(ctx, user, {
    names: splitDisplayName(user.displayName),
    key: user.key,
    ...(expandAttributes ? { attributes: attributesOf(ctx, user) } : {}),
  });
  if (wantsJson(ctx)) return { status: 200, body: entity };
  return xml(200, userXml(entity));
}

const PREFIX = /^\/rest\/usermanagement\/(?:1|latest)/;

export const CROWD_ROUTES: Route[] = [
  {
    method: 'GET',
    path: new RegExp(`${PREFIX.source}/user/attribute$`),
    access: 'application',
    handle: getAttributes,
  },
  { method: 'GET', path: new RegExp(`${PREFIX.source}/user$`), access: 'application', handle: getCrowdUser },
];
