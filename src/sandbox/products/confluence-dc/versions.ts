// The Confluence Data Center versions the sandbox can pretend to be, and what differs between them for
// user management (atlassian-api.md §3 and §10):
// - user/list (all users incl. disabled) and admin disable/enable/delete exist on every one (8.4+, 8.2+);
// - /rest/api/server-information exists from 9.1 (javadoc "Since 9.1.0");
// - /rest/api/admin/users/list/active exists from 9.3 (absent from the 9.2 REST docs, present from 9.3.1;
//   CONFSERVER-37100 says 9.3);
// - its `lastLogin` expansion is documented from 10.2 (the 10.0 docs do not list it).
// Build numbers and dates are illustrative, not Atlassian's.
import type { RouteContext } from '../../reply.ts';

export const CONFLUENCE_VERSIONS = ['8.5', '9.2', '9.5', '10.2'] as const;
export type ConfluenceVersion = (typeof CONFLUENCE_VERSIONS)[number];

export interface ConfluenceTraits {
  /** Full version string (manifest, server-information). */
  full: string;
  buildNumber: number;
  buildDate: string;
  /** GET /rest/api/server-information (9.1+). */
  serverInformation: boolean;
  /** GET /rest/api/admin/users/list/active (9.3+). */
  activeUserList: boolean;
  /** expand=lastLogin on the active-user list (documented from 10.2). */
  lastLoginExpansion: boolean;
}

const TRAITS: Record<ConfluenceVersion, ConfluenceTraits> = {
  '8.5': {
    full: '8.5.16',
    buildNumber: 9012,
    buildDate: '2024-09-24T00:00:00.000Z',
    serverInformation: false,
    activeUserList: false,
    lastLoginExpansion: false,
  },
  '9.2': {
    full: '9.2.5',
    buildNumber: 9109,
    buildDate: '2025-05-27T00:00:00.000Z',
    serverInformation: true,
    activeUserList: false,
    lastLoginExpansion: false,
  },
  '9.5': {
    full: '9.5.2',
    buildNumber: 9112,
    buildDate: '2025-06-10T00:00:00.000Z',
    serverInformation: true,
    activeUserList: true,
    lastLoginExpansion: false,
  },
  '10.2': {
    full: '10.2.1',
    buildNumber: 10020,
    buildDate: '2025-12-09T00:00:00.000Z',
    serverInformation: true,
    activeUserList: true,
    lastLoginExpansion: true,
  },
};

export function confluenceTraits(version: string): ConfluenceTraits {
  return TRAITS[version as ConfluenceVersion];
}

export function traitsOf(ctx: RouteContext): ConfluenceTraits {
  return confluenceTraits(ctx.version);
}

export function isConfluenceVersion(value: unknown): value is ConfluenceVersion {
  return typeof value === 'string' && (CONFLUENCE_VERSIONS as readonly string[]).includes(value);
}
