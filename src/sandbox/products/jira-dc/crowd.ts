// Jira as a Crowd server ("JIRA User Server"): /rest/usermanagement/1 with *application* credentials.
// It is where Jira's login times live for versions whose user bean lacks lastLoginTime
// (atlassian-api.md §2.5, §2.6, decision 2 of §9): attribute login.lastLoginMillis and friends.
// The wire format (JSON on Accept: application/json, XML otherwise) is Crowd's, in ../../crowd-rest.ts; the
// user search (GET and POST /search?entity-type=user, expand=user,attributes) is Crowd's, in
// ../../crowd-search.ts.
import {
  applicationAuthFailed,
  crowdError,
  attributesEntity,
  attributesXml,
  type CrowdAttribute,
  isReply,
  minimalUser,
  splitDisplayName,
  targetUser,
  userEntity,
  userXml,
  wantsJson,
  xml,
  xmlEscape,
} from '../../crowd-rest.ts';
import { CqlError } from '../../crowd-cql.ts';
import { page, userExpansion, userRestriction, usersByName } from '../../crowd-search.ts';
import { requireJson, type Reply, type Route, type RouteContext } from '../../reply.ts';
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

/** What the embedded Crowd's routes read from the running sandbox's knobs. */
export interface JiraCrowdKnobs {
  /** The user search honours expand=attributes (knob searchAttributes). */
  searchAttributes(): boolean;
}

/**
 * GET|POST /search?entity-type=user: every user in name order, minimal unless expand=user, with attribute
 * lists when expand=user,attributes (and the knob lets it).
 */
function searchUsers(knobs: JiraCrowdKnobs) {
  return (ctx: RouteContext): Reply => {
    const type = ctx.query.get('entity-type');
    if (type !== 'user')
      return crowdError(
        ctx,
        type === 'group' ? 501 : 400,
        type === 'group' ? 'UNSUPPORTED_OPERATION' : 'ILLEGAL_ARGUMENT',
        type === 'group'
          ? "the sandbox models the user search of Jira's embedded Crowd only"
          : `entity-type must be user or group, got ${JSON.stringify(type)}`,
      );
    const unsupported = ctx.method === 'POST' ? requireJson(ctx) : null;
    if (unsupported) return unsupported;
    let match: ReturnType<typeof userRestriction>;
    try {
      match = userRestriction(ctx);
    } catch (e) {
      if (e instanceof CqlError) return crowdError(ctx, 400, 'ILLEGAL_ARGUMENT', e.message);
      throw e;
    }
    const expand = userExpansion(ctx);
    const withAttributes = expand.attributes && knobs.searchAttributes();
    const found = usersByName(ctx.store).filter((u) => {
      if (!match) return true;
      const names = splitDisplayName(u.displayName);
      return match({
        name: u.name,
        email: u.email ?? '',
        firstName: names.first,
        lastName: names.last,
        displayName: u.displayName,
        active: u.active,
      });
    });
    const shown = page(ctx, found);
    if (!expand.user) {
      if (wantsJson(ctx))
        return { status: 200, body: { expand: 'user', users: shown.map((u) => minimalUser(ctx, u.name)) } };
      return xml(200, `<users>${shown.map((u) => `<user name="${xmlEscape(u.name)}"/>`).join('')}</users>`);
    }
    const users = shown.map((u) =>
      userEntity(ctx, u, {
        names: splitDisplayName(u.displayName),
        key: u.key,
        ...(withAttributes ? { attributes: attributesOf(ctx, u) } : {}),
      }),
    );
    if (wantsJson(ctx)) return { status: 200, body: { expand: 'user', users } };
    return xml(200, `<users expand="user">${users.map(userXml).join('')}</users>`);
  };
}

const PREFIX = /^\/rest\/usermanagement\/(?:1|latest)/;

/** The embedded Crowd's routes, reading `knobs` at request time. */
export function jiraCrowdRoutes(knobs: JiraCrowdKnobs): Route[] {
  const search = searchUsers(knobs);
  return [
    {
      method: 'GET',
      path: new RegExp(`${PREFIX.source}/user/attribute$`),
      access: 'application',
      handle: getAttributes,
    },
    {
      method: 'GET',
      path: new RegExp(`${PREFIX.source}/user$`),
      access: 'application',
      handle: getCrowdUser,
    },
    { method: 'GET', path: new RegExp(`${PREFIX.source}/search$`), access: 'application', handle: search },
    { method: 'POST', path: new RegExp(`${PREFIX.source}/search$`), access: 'application', handle: search },
  ];
}
