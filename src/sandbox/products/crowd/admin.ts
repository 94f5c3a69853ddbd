// Crowd's admin REST (/rest/admin/1.0), called with an administrator's Basic credentials, not the
// application's. POST users/search?start&limit {search, directoryIds, active} answers a RestPage
// {values, size, start, limit, isLastPage} of UserData {id, username, displayName, email, active,
// directory: {id, displayName, directoryType}} (crowd-rest-common 5.1.6), over every directory.
// GET directory/{id} answers the directory's type, implementation, allowed operations and attributes (the
// fields of Crowd's Directory interface); its path and shape are ASSUMED, no public reference was found.
import {
  intParam,
  json,
  pageSize,
  pathParam,
  requireJson,
  type Reply,
  type RouteContext,
} from '../../reply.ts';
import type { UserRecord } from '../../store.ts';
import type { CrowdState } from './state.ts';

export const DEFAULT_LIMIT = 50;
export const LIMIT_CAP = 1000;

const adminError = (status: number, reason: string, message: string): Reply =>
  json(status, { reason, message });

function directoryData(state: CrowdState, ctx: RouteContext, id: number) {
  return {
    id,
    displayName: ctx.store.directory(id)?.name ?? String(id),
    directoryType: state.records.directory(id)?.type ?? 'INTERNAL',
  };
}

/** DirectoryEntityId: "<directory id>-<base64url of the name>". */
const entityId = (user: UserRecord): string =>
  `${user.directoryId}-${Buffer.from(user.name).toString('base64url')}`;

export function searchUsers(state: CrowdState) {
  return (ctx: RouteContext): Reply => {
    const unsupported = requireJson(ctx);
    if (unsupported) return unsupported;
    const body = (ctx.body ?? {}) as { search?: unknown; directoryIds?: unknown; active?: unknown };
    const term = typeof body.search === 'string' ? body.search.toLowerCase() : '';
    const dirs = Array.isArray(body.directoryIds) ? body.directoryIds.map(Number) : null;
    const active = typeof body.active === 'boolean' ? body.active : null;
    const all = ctx.store
      .users()
      .filter(
        (u) =>
          (dirs === null || dirs.includes(u.directoryId)) &&
          (active === null || u.active === active) &&
          (!term || [u.name, u.displayName, u.email ?? ''].some((v) => v.toLowerCase().includes(term))),
      )
      .sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
    const start = Math.max(0, intParam(ctx.query, 'start', 0));
    const limit = pageSize(ctx, intParam(ctx.query, 'limit', DEFAULT_LIMIT), LIMIT_CAP);
    const values = all.slice(start, start + limit).map((u) => ({
      id: entityId(u),
      username: u.name,
      displayName: u.displayName,
      email: u.email ?? '',
      active: u.active,
      directory: directoryData(state, ctx, u.directoryId),
      avatarUrl: `${ctx.base}/rest/admin/1.0/users/${entityId(u)}/avatar`,
    }));
    return json(200, {
      values,
      size: values.length,
      start,
      limit,
      isLastPage: start + values.length >= all.length,
    });
  };
}

export function getDirectory(state: CrowdState) {
  return (ctx: RouteContext): Reply => {
    const id = Number(pathParam(ctx.path, /\/directory\/([^/]+)$/));
    const dir = ctx.store.directory(id);
    const record = state.records.directory(id);
    if (!dir || !record) return adminError(404, 'DIRECTORY_NOT_FOUND', `Directory <${id}> not found`);
    return json(200, {
      id,
      name: dir.name,
      type: record.type,
      implementationClass: record.implementationClass,
      active: true,
      allowedOperations: [...record.allowedOperations],
      attributes: { ...record.attributes },
    });
  };
}
