// Crowd's usermanagement REST wire format (/rest/usermanagement/1), shared by the Crowd product and Jira's
// embedded Crowd ("Jira User Server"): entities as JSON or XML (Crowd answers XML unless the client asks for
// JSON with Accept: application/json), the {reason, message} error entity, the user entity, the attribute
// list, and the answer to a failed application login. Shapes from Crowd's crowd-rest-common (UserEntity,
// ErrorEntity, MultiValuedAttributeEntityList).
import type { Reply, RouteContext } from './reply.ts';
import type { UserRecord } from './store.ts';

export interface CrowdAttribute {
  name: string;
  values: string[];
}

const enc = encodeURIComponent;

export function wantsJson(ctx: RouteContext): boolean {
  return (ctx.req.headers.accept ?? '').toLowerCase().includes('json');
}

export const xmlEscape = (s: string): string =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

export const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';

export const xml = (status: number, body: string): Reply => ({
  status,
  raw: `${XML_HEAD}${body}`,
  contentType: 'application/xml',
});

/** Crowd's ErrorEntity: {reason, message}, or <error><reason/><message/></error>. */
export function crowdError(
  ctx: RouteContext,
  status: number,
  reason: string,
  message: string,
  asJson = wantsJson(ctx),
): Reply {
  if (asJson) return { status, body: { reason, message } };
  return xml(status, `<error><reason>${reason}</reason><message>${xmlEscape(message)}</message></error>`);
}

export const crowdBase = (ctx: RouteContext): string => `${ctx.base}/rest/usermanagement/1`;

export function userLink(ctx: RouteContext, name: string): { href: string; rel: string } {
  return { href: `${crowdBase(ctx)}/user?username=${enc(name)}`, rel: 'self' };
}

/** The attribute list entity (GET /user/attribute, and `attributes` of an expanded user). */
export function attributesEntity(ctx: RouteContext, user: UserRecord, attributes: CrowdAttribute[]) {
  const self = `${crowdBase(ctx)}/user/attribute?username=${enc(user.name)}`;
  return {
    link: { href: self, rel: 'self' },
    attributes: attributes.map((a) => ({
      ...a,
      link: { href: `${self}&attributename=${enc(a.name)}`, rel: 'self' },
    })),
  };
}

export function attributesXml(entity: ReturnType<typeof attributesEntity>): string {
  const attrs = entity.attributes
    .map(
      (a) =>
        `<attribute name="${xmlEscape(a.name)}"><link href="${xmlEscape(a.link.href)}" rel="self"/>` +
        `<values>${a.values.map((v) => `<value>${xmlEscape(v)}</value>`).join('')}</values></attribute>`,
    )
    .join('');
  return `<attributes><link href="${xmlEscape(entity.link.href)}" rel="self"/>${attrs}</attributes>`;
}

/** The parts of a user entity that differ per product (Crowd keeps first and last names apart). */
export interface UserNames {
  first: string;
  last: string;
}

/** Jira keeps one display name: Crowd's first/last names are its first word and the rest. */
export function splitDisplayName(displayName: string): UserNames {
  const [first = '', ...rest] = displayName.split(' ');
  return { first, last: rest.join(' ') };
}

export interface UserEntityOptions {
  names: UserNames;
  /** `key` of the entity; null = the user has no external id (Crowd sends no key then). */
  key: string | null;
  /** Set when the caller asked for expand=attributes. */
  attributes?: CrowdAttribute[];
  updated?: string;
}

/** Crowd's UserEntity as JSON (EntityTranslator.toUserEntity): created-date as epoch milliseconds. */
export function userEntity(ctx: RouteContext, user: UserRecord, o: UserEntityOptions) {
  const link = userLink(ctx, user.name);
  return {
    expand: 'attributes',
    link,
    name: user.name,
    ...(o.key !== null ? { key: o.key } : {}),
    'first-name': o.names.first,
    'last-name': o.names.last,
    'display-name': user.displayName,
    email: user.email ?? '',
    password: {
      link: { href: `${crowdBase(ctx)}/user/password?username=${enc(user.name)}`, rel: 'edit' },
    },
    active: user.active,
    'created-date': Date.parse(user.created),
    ...(o.updated ? { 'updated-date': Date.parse(o.updated) } : {}),
    attributes: o.attributes
      ? attributesEntity(ctx, user, o.attributes)
      : { link: { href: `${crowdBase(ctx)}/user/attribute?username=${enc(user.name)}`, rel: 'self' } },
  };
}

export function userXml(entity: ReturnType<typeof userEntity>): string {
  const el = (name: string, value: string) => `<${name}>${xmlEscape(value)}</${name}>`;
  const attrs = 'attributes' in entity.attributes ? attributesXml(entity.attributes) : '';
  return (
    `<user name="${xmlEscape(entity.name)}" expand="attributes"><link href="${xmlEscape(entity.link.href)}" rel="self"/>` +
    (entity.key !== undefined ? el('key', entity.key) : '') +
    el('first-name', entity['first-name']) +
    el('last-name', entity['last-name']) +
    el('display-name', entity['display-name']) +
    el('email', entity.email) +
    el('active', String(entity.active)) +
    el('created-date', new Date(entity['created-date']).toISOString()) +
    attrs +
    '</user>'
  );
}

/** The minimal user of a list without expand=user: name and link only. */
export function minimalUser(ctx: RouteContext, name: string) {
  return { link: userLink(ctx, name), name };
}

/** A user named by ?username= or ?key=, or Crowd's answer when there is none. */
export function targetUser(
  ctx: RouteContext,
  find: (q: { username?: string; key?: string }) => UserRecord | undefined,
): UserRecord | Reply {
  const username = ctx.query.get('username');
  const key = ctx.query.get('key');
  if (!username && !key)
    return crowdError(ctx, 400, 'ILLEGAL_ARGUMENT', 'Either username or key must be specified');
  const user = find(username ? { username } : { key: key as string });
  return user ?? crowdError(ctx, 404, 'USER_NOT_FOUND', `User <${username ?? key}> does not exist`);
}

export const isReply = (x: UserRecord | Reply): x is Reply => 'status' in x;

/** What Crowd answers when the application's name or password is wrong. */
export function applicationAuthFailed(): Reply {
  return {
    status: 401,
    raw: 'Application failed to authenticate',
    contentType: 'text/plain;charset=UTF-8',
    headers: { 'WWW-Authenticate': 'BASIC realm="Crowd REST Service"' },
  };
}
