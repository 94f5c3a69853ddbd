// Jira's error shapes: the ErrorCollection every resource answers with, atlassian-rest's 404 for a resource
// the version lacks, and Jira's date-time format in REST beans.
import { json, queryString, type Reply, type RouteContext } from '../../reply.ts';

/** Jira's ErrorCollection: {"errorMessages":[…],"errors":{…}}. */
export function jiraError(status: number, messages: string[], errors: Record<string, string> = {}): Reply {
  return json(status, { errorMessages: messages, errors });
}

/** What atlassian-rest answers for a resource the product does not have (e.g. user/list on 9.x). */
export function restNotFound(ctx: RouteContext): Reply {
  return json(404, {
    message: `null for uri: ${ctx.base}${ctx.path}${queryString(ctx.query)}`,
    'status-code': 404,
  });
}

/** Jira's date-time format in REST beans: 2024-05-01T10:20:30.000+0000. */
export function jiraDateTime(isoOrMs: string | number): string {
  return new Date(isoOrMs).toISOString().replace('Z', '+0000');
}
