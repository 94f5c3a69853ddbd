// GET /search?entity-type=user|group&restriction=<CQL>&start-index&max-results&expand=user|group: users in
// name order (minimal entities unless expanded; expand=user,attributes adds each user's attribute list), over
// the directories mapped to the application. POST /search takes the restriction as a JSON body instead
// (../../crowd-search.ts).
import { requireJson, type Reply, type RouteContext } from '../../reply.ts';
import { compileRestriction, CqlError, GROUP_PROPERTIES } from '../../crowd-cql.ts';
import { userRestriction, usersByName } from '../../crowd-search.ts';
import { groupsAnswer, usersAnswer } from './memberships.ts';
import { type CrowdState, fail } from './state.ts';

export function search(state: CrowdState) {
  return (ctx: RouteContext): Reply => {
    const type = ctx.query.get('entity-type');
    const unsupported = ctx.method === 'POST' ? requireJson(ctx) : null;
    if (unsupported) return unsupported;
    try {
      if (type === 'user') {
        const match = userRestriction(ctx);
        const users = usersByName(ctx.store).filter((u) => {
          if (!state.records.visible(u)) return false;
          if (!match) return true;
          const names = state.records.namesOf(u);
          return match({
            name: u.name,
            email: u.email ?? '',
            firstName: names.first,
            lastName: names.last,
            displayName: u.displayName,
            active: u.active,
          });
        });
        return usersAnswer(state, ctx, users, { attributes: state.searchAttributes, sorted: true });
      }
      if (type === 'group') {
        if (ctx.method === 'POST')
          return fail(
            state,
            ctx,
            501,
            'UNSUPPORTED_OPERATION',
            'the sandbox models POST /search for users only',
          );
        const match = compileRestriction(ctx.query.get('restriction'), GROUP_PROPERTIES);
        const groups = ctx.store
          .groups()
          .filter(
            (g) => state.records.mapped.includes(g.directoryId) && match({ name: g.name, active: true }),
          );
        return groupsAnswer(state, ctx, groups);
      }
    } catch (e) {
      if (e instanceof CqlError) return fail(state, ctx, 400, 'ILLEGAL_ARGUMENT', e.message);
      throw e;
    }
    return fail(
      state,
      ctx,
      400,
      'ILLEGAL_ARGUMENT',
      `entity-type must be user or group, got ${JSON.stringify(type)}`,
    );
  };
}
