// The Cloud sandbox's fixed names: the organisation, its default groups, the internal directory.
export const CLOUD_ORG_ID = '3a8c2f1e-5b7d-4c9a-8e21-0f6d4b2a9c17';
export const CLOUD_ORG_NAME = 'Example Org';
export const CLOUD_DIRECTORY_NAME = 'Example Org';
/** Members hold the atlassian/org-admin role (the legacy org-admins group). */
export const ORG_ADMINS_GROUP = 'org-admins';
/** Members hold the atlassian/site-admin role. */
export const SITE_ADMINS_GROUP = 'site-admins';
export const JIRA_USERS_GROUP = 'jira-software-users';
export const CONFLUENCE_USERS_GROUP = 'confluence-users';
export const ORG_ADMIN = 'atlassian/org-admin';
export const SITE_ADMIN = 'atlassian/site-admin';
export const DEFAULT_PRODUCTS = ['jira-software', 'confluence'];
export const DEFAULT_GRANTS: Record<string, string[]> = {
  [JIRA_USERS_GROUP]: ['jira-software'],
  [CONFLUENCE_USERS_GROUP]: ['confluence'],
};
