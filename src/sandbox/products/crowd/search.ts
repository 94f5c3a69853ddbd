// GET /search?entity-type=user|group&restriction=<CQL>&start-index&max-results&expand=user|group: users in
// name order (minimal entities unless expanded), over the directories mapped to the application.
import type { Reply, RouteContext } from '../../reply.ts';
import { compileRestriction, CqlError, GROUP_PROPERTIES, USER_PROPERTIES } from './cql.ts';
import { groupsAnswer, usersAnswer } from './memberships.ts';
import { type CrowdState, fail } from './state.ts';

export function search(state: CrowdState) {
  return (ctx: RouteContext): Reply => {
    const type = ctx.query.get('entity-type');
    try {
      if (type === 'user') {
        const match = compileRestriction(ctx.query.get('restriction'), USER_PROPERTIES);
        const users = ctx.store.users().filter((u) => {
          if (!state.records.visible(u)) return false;
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
        return usersAnswer(state, ctx, users);
      }
      if (type === 'group') {
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
