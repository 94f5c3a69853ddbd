// Names the Crowd product and its demo organisation share.
export const CROWD_ADMIN_GROUP = 'crowd-administrators';
export const CROWD_INTERNAL_DIRECTORY = 'Crowd Internal Directory';
/** Groups the applications behind Crowd (Jira, Confluence) grant access through. */
export const JIRA_USERS_GROUP = 'jira-software-users';
export const CONFLUENCE_USERS_GROUP = 'confluence-users';
export const AD_DIRECTORY_ID = 10100;
export const AD_DIRECTORY_NAME = 'Corporate AD';
export const PARTNER_DIRECTORY_ID = 10200;
export const PARTNER_DIRECTORY_NAME = 'Partner Crowd';
