// Jira as a Crowd server ("JIRA User Server"): /rest/usermanagement/1 with *application* credentials.
// It is where Jira's login times live for versions whose user bean lacks lastLoginTime
// (atlassian-api.md §2.5, §2.6, decision 2 of §9): attribute login.lastLoginMillis and friends.
// Crowd answers XML unless the client asks for JSON (Accept: application/json), as the real one does.
import type { Reply, Route, RouteContext } from '../../reply.ts';
import type { UserRecord } from '../../store.ts';

interface Attribute {
  name: string;
  values: string[];
}

const enc = encodeURIComponent;

function wantsJson(ctx: RouteContext): boolean {
  return (ctx.req.headers.accept ?? '').toLowerCase().includes('json');
}

const xmlEscape = (s: string): string =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';

function crowdError(ctx: RouteContext, status: number, reason: string, message: string): Reply {
  if (wantsJson(ctx)) return { status, body: { reason, message } };
  return {
    status,
    raw: `${XML_HEAD}<error><reason>${reason}</reason><message>${xmlEscape(message)}</message></error>`,
    contentType: 'application/xml',
  };
}

/** The attributes Jira keeps for a user in cwd_user_attributes. Never-logged-in users have no login.*. */
export function userAttributes(user: UserRecord, internal: boolean): Attribute[] {
  const attrs: Attribute[] = [];
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

function attributesEntity(ctx: RouteContext, user: UserRecord) {
  const self = `${ctx.base}/rest/usermanagement/1/user/attribute?username=${enc(user.name)}`;
  const internal = ctx.store.directory(user.directoryId)?.type === 'INTERNAL';
  return {
    self,
    attributes: userAttributes(user, internal).map((a) => ({
      ...a,
      link: { href: `${self}&attributename=${enc(a.name)}`, rel: 'self' },
    })),
  };
}

function attributesXml(entity: ReturnType<typeof attributesEntity>): string {
  const attrs = entity.attributes
    .map(
      (a) =>
        `<attribute name="${xmlEscape(a.name)}"><link href="${xmlEscape(a.link.href)}" rel="self"/>` +
        `<values>${a.values.map((v) => `<value>${xmlEscape(v)}</value>`).join('')}</values></attribute>`,
    )
    .join('');
  return `${XML_HEAD}<attributes><link href="${xmlEscape(entity.self)}" rel="self"/>${attrs}</attributes>`;
}

function targetUser(ctx: RouteContext): UserRecord | Reply {
  const username = ctx.query.get('username');
  const key = ctx.query.get('key');
  if (!username && !key)
    return crowdError(ctx, 400, 'ILLEGAL_ARGUMENT', 'Either username or key must be specified');
  const user = username ? ctx.store.userByName(username) : ctx.store.userByKey(key as string);
  return user ?? crowdError(ctx, 404, 'USER_NOT_FOUND', `User <${username ?? key}> does not exist`);
}

const isReply = (x: UserRecord | Reply): x is Reply => 'status' in x;

function getAttributes(ctx: RouteContext): Reply {
  const user = targetUser(ctx);
  if (isReply(user)) return user;
  const entity = attributesEntity(ctx, user);
  if (!wantsJson(ctx)) return { status: 200, raw: attributesXml(entity), contentType: 'application/xml' };
  return { status: 200, body: { attributes: entity.attributes, link: { href: entity.self, rel: 'self' } } };
}

function getCrowdUser(ctx: RouteContext): Reply {
  const user = targetUser(ctx);
  if (isReply(user)) return user;
  const [first = '', ...rest] = user.displayName.split(' ');
  const self = `${ctx.base}/rest/usermanagement/1/user?username=${enc(user.name)}`;
  const expandAttributes = (ctx.query.get('expand') ?? '').split(',').includes('attributes');
  const entity = {
    expand: 'attributes',
    link: { href: self, rel: 'self' },
    name: user.name,
    key: user.key,
    'first-name': first,
    'last-name': rest.join(' '),
    'display-name': user.displayName,
    email: user.email ?? '',
    password: {
      link: {
        href: `${ctx.base}/rest/usermanagement/1/user/password?username=${enc(user.name)}`,
        rel: 'edit',
      },
    },
    active: user.active,
    'created-date': Date.parse(user.created),
    ...(expandAttributes
      ? {
          attributes: {
            attributes: attributesEntity(ctx, user).attributes,
            link: { href: self, rel: 'self' },
          },
        }
      : {}),
  };
  if (wantsJson(ctx)) return { status: 200, body: entity };
  const xml =
    `${XML_HEAD}<user name="${xmlEscape(user.name)}" expand="attributes"><link href="${xmlEscape(self)}" rel="self"/>` +
    `<key>${xmlEscape(user.key)}</key><first-name>${xmlEscape(first)}</first-name>` +
    `<last-name>${xmlEscape(rest.join(' '))}</last-name><display-name>${xmlEscape(user.displayName)}</display-name>` +
    `<email>${xmlEscape(user.email ?? '')}</email><active>${user.active}</active></user>`;
  return { status: 200, raw: xml, contentType: 'application/xml' };
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

/** What Crowd answers when the application's name or password is wrong. */
export function applicationAuthFailed(): Reply {
  return {
    status: 401,
    raw: 'Application failed to authenticate',
    contentType: 'text/plain;charset=UTF-8',
    headers: { 'WWW-Authenticate': 'BASIC realm="Crowd REST Service"' },
  };
}
