// The Jira Data Center versions the sandbox can pretend to be, and what differs between them
// (atlassian-api.md §2 and decision 3 of §9).
import type { RouteContext } from '../../reply.ts';

export const JIRA_VERSIONS = ['9.12', '10.3', '11.3'] as const;
export type JiraVersion = (typeof JIRA_VERSIONS)[number];

export interface VersionTraits {
  /** Full version string reported by serverInfo. */
  full: string;
  buildNumber: number;
  buildDate: string;
  /** GET /rest/api/2/user/list exists (10.3 LTS and 11.0+). */
  userList: boolean;
  /** user/search answers at most this many results in total (JRASERVER-78660: 100 on 10+). */
  userSearchTotalCap: number;
  /** The user bean carries lastLoginTime (declared by the 11.3 spec). */
  lastLoginTime: boolean;
  /** Basic auth with a password is on out of the box (Jira 11 turns it off). */
  basicAuthByDefault: boolean;
}

const TRAITS: Record<JiraVersion, VersionTraits> = {
  '9.12': {
    full: '9.12.15',
    buildNumber: 9120015,
    buildDate: '2024-10-08T00:00:00.000+0000',
    userList: false,
    userSearchTotalCap: Number.POSITIVE_INFINITY,
    lastLoginTime: false,
    basicAuthByDefault: true,
  },
  '10.3': {
    full: '10.3.6',
    buildNumber: 10030006,
    buildDate: '2025-05-20T00:00:00.000+0000',
    userList: true,
    userSearchTotalCap: 100,
    lastLoginTime: false,
    basicAuthByDefault: true,
  },
  '11.3': {
    full: '11.3.0',
    buildNumber: 11030000,
    buildDate: '2025-12-02T00:00:00.000+0000',
    userList: true,
    userSearchTotalCap: 100,
    lastLoginTime: true,
    basicAuthByDefault: false,
  },
};

export function traits(version: JiraVersion): VersionTraits {
  return TRAITS[version];
}

/** The traits of the version a request is served as. */
export function traitsOf(ctx: RouteContext): VersionTraits {
  return TRAITS[ctx.version as JiraVersion];
}

export function isJiraVersion(value: unknown): value is JiraVersion {
  return typeof value === 'string' && (JIRA_VERSIONS as readonly string[]).includes(value);
}
