// The Bitbucket Data Center versions the sandbox can pretend to be. The user administration REST API the
// sandbox models (admin/users, groups, global permissions) is the same on all of them; the version shows in
// GET application-properties, which a client reads to know what it talks to. Patch levels, build numbers
// and dates are illustrative, not Atlassian's.
export const BITBUCKET_VERSIONS = ['8.19', '9.4', '10.0'] as const;
export type BitbucketVersion = (typeof BITBUCKET_VERSIONS)[number];

interface BitbucketTraits {
  /** Full version string. */
  full: string;
  /** As Bitbucket writes it: the version's digits (8.19.20 → 8019020), a string. */
  buildNumber: string;
  /** Epoch milliseconds, a string. */
  buildDate: string;
}

const TRAITS: Record<BitbucketVersion, BitbucketTraits> = {
  '8.19': { full: '8.19.20', buildNumber: '8019020', buildDate: '1744243200000' },
  '9.4': { full: '9.4.13', buildNumber: '9004013', buildDate: '1755561600000' },
  '10.0': { full: '10.0.3', buildNumber: '10000003', buildDate: '1757030400000' },
};

export function bitbucketTraits(version: string): BitbucketTraits {
  return TRAITS[version as BitbucketVersion];
}

export function isBitbucketVersion(value: unknown): value is BitbucketVersion {
  return typeof value === 'string' && (BITBUCKET_VERSIONS as readonly string[]).includes(value);
}
