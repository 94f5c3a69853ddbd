// What the Crowd routes share: the records, the knobs that can change at run time, and the helpers every
// usermanagement route answers with (JSON or XML per Accept, Crowd's errors, the entities).
import { crowdError, type CrowdAttribute, userEntity, userXml, wantsJson, xml } from '../../crowd-rest.ts';
import type { Reply, RouteContext } from '../../reply.ts';
import type { GroupRecord, UserRecord } from '../../store.ts';
import type { CrowdRecords } from './records.ts';

export interface CrowdState {
  records: CrowdRecords;
  forceXml: boolean;
  emailChangeByApps: boolean;
  /** User search honours expand=attributes (the searchAttributes knob). */
  searchAttributes: boolean;
}

export const DAY = 86_400_000;

export function asJson(state: CrowdState, ctx: RouteContext): boolean {
  return !state.forceXml && wantsJson(ctx);
}

export function fail(state: CrowdState, ctx: RouteContext, status: number, reason: string, message: string) {
  return crowdError(ctx, status, reason, message, asJson(state, ctx));
}

/** A JSON entity, or its XML rendering when the caller did not ask for JSON. */
export function answer(
  state: CrowdState,
  ctx: RouteContext,
  status: number,
  body: unknown,
  asXml: () => string,
): Reply {
  return asJson(state, ctx) ? { status, body } : xml(status, asXml());
}

/** A user the application can see (its directory is mapped to the application), by username or key. */
export function findUser(
  state: CrowdState,
  ctx: RouteContext,
  q: { username?: string; key?: string },
): UserRecord | undefined {
  const user = q.username ? ctx.store.userByName(q.username) : ctx.store.userByKey(q.key ?? '');
  return user && state.records.visible(user) ? user : undefined;
}

export function findGroup(state: CrowdState, ctx: RouteContext, name: string): GroupRecord | undefined {
  const group = ctx.store.group(name);
  return group && state.records.mapped.includes(group.directoryId) ? group : undefined;
}

export function directoryName(ctx: RouteContext, id: number): string {
  return ctx.store.directory(id)?.name ?? String(id);
}

/**
 * The attributes Crowd keeps for a user: lastAuthenticated and lastActive (epoch ms, set when the user
 * authenticates through Crowd; absent = never), and for internal directories the password attributes.
 */
export function crowdAttributes(ctx: RouteContext, user: UserRecord): CrowdAttribute[] {
  const attrs: CrowdAttribute[] = [];
  const ms = (iso: string): string => String(Date.parse(iso));
  if (ctx.store.directory(user.directoryId)?.type === 'INTERNAL') {
    attrs.push({ name: 'invalidPasswordAttempts', values: ['0'] });
    attrs.push({ name: 'passwordLastChanged', values: [ms(user.created)] });
    attrs.push({ name: 'requiresPasswordChange', values: ['false'] });
  }
  if (user.lastLogin) {
    attrs.push({ name: 'lastActive', values: [ms(user.lastLogin)] });
    attrs.push({ name: 'lastAuthenticated', values: [ms(user.lastLogin)] });
  }
  return attrs;
}

export function entityOf(state: CrowdState, ctx: RouteContext, user: UserRecord, withAttributes: boolean) {
  return userEntity(ctx, user, {
    names: state.records.namesOf(user),
    key: user.key,
    ...(withAttributes ? { attributes: crowdAttributes(ctx, user) } : {}),
  });
}

export function userAnswer(state: CrowdState, ctx: RouteContext, status: number, user: UserRecord): Reply {
  const expand = (ctx.query.getAll('expand').join(',') ?? '').split(',').includes('attributes');
  const entity = entityOf(state, ctx, user, expand);
  return answer(state, ctx, status, entity, () => userXml(entity));
}

export { expands } from '../../crowd-search.ts';
