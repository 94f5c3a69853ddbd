// Data Center dead-credential check (atlassian-api.md §9 decision 7): Seraph carries on as anonymous when
// credentials are bad and says so in X-Seraph-LoginReason, so anonymously readable resources answer 200.
// DC drivers hand this hook to their HTTP clients; a 200 with a failed login is an error, never empty data.
import { describeLoginReason, failedLoginReason } from '../../http/errors.ts';
import type { ResponseHeaders } from '../../http/types.ts';

export function seraphLoginFailure(headers: ResponseHeaders): { reason: string; detail: string } | undefined {
  const reason = failedLoginReason(headers['x-seraph-loginreason']);
  return reason ? { reason, detail: describeLoginReason(reason) } : undefined;
}
