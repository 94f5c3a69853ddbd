// Crowd's user resource (/rest/usermanagement/1/user…) as the application sees it. PUT /user REPLACES the
// user (Crowd's EntityTranslator.fromUserEntity): a missing first, last or display name is blanked, a missing
// `active` means active, and an email that differs from the stored one (a missing one included) is refused
// with 403 "External applications are not allowed to change user emails" (ApplicationServiceGeneric.updateUser,
// Crowd 5.x) unless the emailChangeByApps knob is on, when it is blanked too. Writes to a directory that does
// not allow them answer 403 APPLICATION_PERMISSION_DENIED with Crowd's own messages.
import { attributesEntity, attributesXml, isReply, targetUser, userXml } from '../../crowd-rest.ts';
import { requireJson, type Reply, type RouteContext } from '../../reply.ts';
import type { UserRecord } from '../../store.ts';
import {
  answer,
  crowdAttributes,
  type CrowdState,
  directoryName,
  entityOf,
  fail,
  findUser,
  userAnswer,
} from './state.ts';

type Body = Record<string, unknown>;

const str = (b: Body, key: string): string | undefined =>
  typeof b[key] === 'string' ? (b[key] as string) : undefined;

function target(state: CrowdState, ctx: RouteContext): UserRecord | Reply {
  const user = targetUser(ctx, (q) => findUser(state, ctx, q));
  if (!isReply(user)) return user;
  const username = ctx.query.get('username') ?? ctx.query.get('key') ?? '';
  return user.status === 404
    ? fail(state, ctx, 404, 'USER_NOT_FOUND', `User <${username}> does not exist`)
    : fail(state, ctx, 400, 'ILLEGAL_ARGUMENT', 'Either username or key must be specified');
}

function jsonBody(state: CrowdState, ctx: RouteContext): { body: Body } | { reply: Reply } {
  const unsupported = requireJson(ctx);
  if (unsupported) return { reply: unsupported };
  if (typeof ctx.body !== 'object' || ctx.body === null || Array.isArray(ctx.body))
    return { reply: fail(state, ctx, 400, 'ILLEGAL_ARGUMENT', 'Expected a user entity in the request body') };
  return { body: ctx.body as Body };
}

export function getUser(state: CrowdState) {
  return (ctx: RouteContext): Reply => {
    const user = target(state, ctx);
    return isReply(user) ? user : userAnswer(state, ctx, 200, user);
  };
}

export function getAttributes(state: CrowdState) {
  return (ctx: RouteContext): Reply => {
    const user = target(state, ctx);
    if (isReply(user)) return user;
    const entity = attributesEntity(ctx, user, crowdAttributes(ctx, user));
    return answer(state, ctx, 200, entity, () => attributesXml(entity));
  };
}

export function updateUser(state: CrowdState) {
  return (ctx: RouteContext): Reply => {
    const user = target(state, ctx);
    if (isReply(user)) return user;
    const parsed = jsonBody(state, ctx);
    if ('reply' in parsed) return parsed.reply;
    const b = parsed.body;
    if (str(b, 'name') !== undefined && str(b, 'name')!.toLowerCase() !== user.name.toLowerCase())
      return fail(
        state,
        ctx,
        400,
        'ILLEGAL_ARGUMENT',
        'The username in the body does not match the username in the URL',
      );
    const email = str(b, 'email') ?? '';
    if (email.toLowerCase() !== (user.email ?? '').toLowerCase() && !state.emailChangeByApps)
      return fail(
        state,
        ctx,
        403,
        'APPLICATION_PERMISSION_DENIED',
        'External applications are not allowed to change user emails',
      );
    const dir = directoryName(ctx, user.directoryId);
    if (!state.records.allows(user.directoryId, 'UPDATE_USER'))
      return fail(
        state,
        ctx,
        403,
        'APPLICATION_PERMISSION_DENIED',
        `Cannot update user '${user.name}' because directory '${dir}' does not allow updates.`,
      );
    // Crowd's fromUserEntity: a missing `active` is true; missing names are blanked.
    const active = typeof b.active === 'boolean' ? b.active : true;
    if (active !== user.active && state.records.writesStatusBack(user.directoryId)) {
      if (active) state.records.adDisabled.delete(user.name.toLowerCase());
      else state.records.adDisabled.add(user.name.toLowerCase());
    }
    state.records.setNames(user, { first: str(b, 'first-name') ?? '', last: str(b, 'last-name') ?? '' });
    ctx.store.update(user, { active, displayName: str(b, 'display-name') ?? '', email: email || null });
    return { status: 204 };
  };
}

export function createUser(state: CrowdState) {
  return (ctx: RouteContext): Reply => {
    const parsed = jsonBody(state, ctx);
    if ('reply' in parsed) return parsed.reply;
    const b = parsed.body;
    const name = (str(b, 'name') ?? '').trim();
    if (!name) return fail(state, ctx, 400, 'INVALID_USER', 'The user entity must have a name');
    if (ctx.store.userByName(name)) return fail(state, ctx, 400, 'INVALID_USER', 'User already exists');
    const password = b.password as { value?: unknown } | undefined;
    if (!password || typeof password.value !== 'string' || !password.value)
      return fail(state, ctx, 400, 'INVALID_CREDENTIAL', 'You must specify the password of the new user');
    const dir = state.records.mapped.find((id) => state.records.allows(id, 'CREATE_USER'));
    if (dir === undefined)
      return fail(
        state,
        ctx,
        403,
        'APPLICATION_PERMISSION_DENIED',
        `Application has no directories that allow adding of users.`,
      );
    const user = ctx.store.addUser({
      name,
      displayName: str(b, 'display-name') ?? '',
      email: str(b, 'email') || null,
      active: typeof b.active === 'boolean' ? b.active : true,
      directoryId: dir,
      created: new Date(ctx.now).toISOString(),
      password: password.value,
    });
    state.records.setNames(user, { first: str(b, 'first-name') ?? '', last: str(b, 'last-name') ?? '' });
    const entity = entityOf(state, ctx, user, false);
    const reply = answer(state, ctx, 201, entity, () => userXml(entity));
    return { ...reply, headers: { Location: entity.link.href } };
  };
}

export function deleteUser(state: CrowdState) {
  return (ctx: RouteContext): Reply => {
    const user = target(state, ctx);
    if (isReply(user)) return user;
    if (!state.records.allows(user.directoryId, 'DELETE_USER'))
      return fail(
        state,
        ctx,
        403,
        'APPLICATION_PERMISSION_DENIED',
        `Not allowed to delete user '${user.name}' from directory '${directoryName(ctx, user.directoryId)}'.`,
      );
    ctx.store.deleteUser(user);
    return { status: 204 };
  };
}

/** POST /user/mail/password: Crowd mails the user a link to set a password (recorded, not sent). */
export function mailPasswordReset(state: CrowdState) {
  return (ctx: RouteContext): Reply => {
    const user = target(state, ctx);
    if (isReply(user)) return user;
    state.records.resetMails.push(user.name);
    return { status: 204 };
  };
}

/** GET /config/cookie: the SSO cookie settings (clients use it as a ping). */
export function cookieConfig(state: CrowdState) {
  return (ctx: RouteContext): Reply =>
    answer(
      state,
      ctx,
      200,
      { domain: null, secure: false, name: 'crowd.token_key' },
      () => '<cookie-config><secure>false</secure><name>crowd.token_key</name></cookie-config>',
    );
}
