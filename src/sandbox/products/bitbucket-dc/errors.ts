// Bitbucket's error body (atlassian-api.md §4, the DC OpenAPI's RestErrorMessage): {errors: [{context,
// message, exceptionName}]}. `context` names the offending field (null for most errors). The exception names
// are Bitbucket's Java classes as seen in public reports where known; others are assumed.
import { json, type Reply } from '../../reply.ts';

export const EXCEPTIONS = {
  auth: 'com.atlassian.bitbucket.auth.IncorrectPasswordAuthenticationException',
  authorisation: 'com.atlassian.bitbucket.AuthorisationException',
  noSuchUser: 'com.atlassian.bitbucket.user.NoSuchUserException',
  noSuchGroup: 'com.atlassian.bitbucket.user.NoSuchGroupException',
  permission: 'com.atlassian.bitbucket.permission.PermissionException',
  integrity: 'com.atlassian.bitbucket.IntegrityException',
  readOnly: 'com.atlassian.bitbucket.user.ReadOnlyDirectoryException',
  validation: 'com.atlassian.bitbucket.validation.ArgumentValidationException',
  rateLimit: 'com.atlassian.bitbucket.throttle.RateLimitedException',
  captcha: 'com.atlassian.bitbucket.auth.CaptchaRequiredAuthenticationException',
  notFound: 'com.sun.jersey.api.NotFoundException',
} as const;

export function bitbucketError(
  status: number,
  message: string,
  exceptionName: string | null = null,
  context: string | null = null,
): Reply {
  return json(status, { errors: [{ context, message, exceptionName }] });
}

export const noSuchUser = (name: string): Reply =>
  bitbucketError(404, `User ${name} does not exist.`, EXCEPTIONS.noSuchUser);

export const noSuchGroup = (name: string): Reply =>
  bitbucketError(404, `Group ${name} does not exist.`, EXCEPTIONS.noSuchGroup);
