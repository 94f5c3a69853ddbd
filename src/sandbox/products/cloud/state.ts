// What the Cloud routes share: the organisation's records, the knobs of the running sandbox, and the
// checks every route of the organisation API makes first (organisation, directory, key scopes, JSON body).
import { requireJson, type Reply, type RouteContext } from '../../reply.ts';
import type { DirectoryRecord, UserRecord } from '../../store.ts';
import { gatewayError, specError } from './errors.ts';
import type { CloudRecords } from './records.ts';

export interface CloudKnobs {
  retireDeprecated: boolean;
  productAccessExpand: boolean;
  apiKeyScopes: string[] | null;
  writeStatus: 200 | 204;
  removalLag: number;
}

export interface CloudState {
  records: CloudRecords;
  knobs: CloudKnobs;
}

export const V2_ORG = /^\/admin\/v2\/orgs\/([^/]+)/;
export const V2_DIR = /^\/admin\/v2\/orgs\/([^/]+)\/directories\/([^/]+)/;
export const V1_ORG = /^\/admin\/v1\/orgs\/([^/]+)/;

/** A path segment, decoded. */
export function segment(path: string, pattern: RegExp, index: number): string {
  const raw = pattern.exec(path)?.[index] ?? '';
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** An answer other than the route's own: thrown by the checks, answered by `answering`. */
export class Answer extends Error {
  readonly reply: Reply;
  constructor(reply: Reply) {
    super(`answered ${reply.status}`);
    this.reply = reply;
  }
}

/** A route whose checks may end it early with their answer. */
export function answering(handle: (ctx: RouteContext) => Reply): (ctx: RouteContext) => Reply {
  return (ctx) => {
    try {
      return handle(ctx);
    } catch (e) {
      if (e instanceof Answer) return e.reply;
      throw e;
    }
  };
}

/** The organisation of the path must be the sandbox's. */
export function checkOrg(state: CloudState, ctx: RouteContext, pattern: RegExp): void {
  const org = segment(ctx.path, pattern, 1);
  if (org !== state.records.orgId) throw new Answer(specError(404, `Organization ${org} not found.`));
}

/** The directories a path names (`-` = every directory). */
export function directoriesOf(state: CloudState, ctx: RouteContext): DirectoryRecord[] {
  checkOrg(state, ctx, V2_DIR);
  const dir = segment(ctx.path, V2_DIR, 2);
  if (dir === '-') return ctx.store.directories;
  const found = state.records.directoryById(dir);
  if (!found) throw new Answer(specError(404, `Directory ${dir} not found.`));
  return [found];
}

/** The user with this account id in these directories. */
export function userIn(
  state: CloudState,
  ctx: RouteContext,
  dirs: DirectoryRecord[],
  accountId: string,
): UserRecord {
  const user = ctx.store.userByKey(accountId);
  if (!user || !dirs.some((d) => d.id === user.directoryId) || state.records.isRemoving(user))
    throw new Answer(specError(404, `User ${accountId} not found in the directory.`));
  return user;
}

/**
 * A key with scopes may call what its scopes name and write nothing (assumed: which scope a read needs,
 * and the wording); a key without scopes may do everything.
 */
export function scoped(
  state: CloudState,
  need: string | 'write',
  handle: (ctx: RouteContext) => Reply,
): (ctx: RouteContext) => Reply {
  return (ctx) => {
    const scopes = state.knobs.apiKeyScopes;
    if (scopes && (need === 'write' || !scopes.includes(need)))
      return gatewayError(
        403,
        ctx.path,
        need === 'write'
          ? 'Unauthorized: the API key has scopes, and this request is not allowed with any scope'
          : `Unauthorized: the API key lacks the scope ${need}`,
        ctx.now,
      );
    return answering(handle)(ctx);
  };
}

/** The JSON object body of a POST: 415 without the JSON content type (the gateway's answer), 400 if not an object. */
export function jsonBody(ctx: RouteContext): Record<string, unknown> {
  const wrongType = requireJson(ctx);
  if (wrongType) throw new Answer(wrongType);
  if (ctx.body === null || ctx.body === undefined) return {};
  if (typeof ctx.body !== 'object' || Array.isArray(ctx.body))
    throw new Answer(specError(400, 'The request body must be a JSON object.'));
  return ctx.body as Record<string, unknown>;
}

/** A list of strings in a search body, or undefined; anything else is a 400. */
export function strings(body: Record<string, unknown>, key: string): string[] | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string'))
    throw new Answer(specError(400, `${key} must be a list of strings.`));
  return v as string[];
}

/** The success answer of a write: 204, or 200 with a message (the success codes are not documented). */
export function written(state: CloudState): Reply {
  return state.knobs.writeStatus === 200 ? { status: 200, body: { message: 'OK' } } : { status: 204 };
}
