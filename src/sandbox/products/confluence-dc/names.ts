// Confluence's fixed names: the administrators' group, the default "Can use" group, the internal directory.
export const CONFLUENCE_ADMIN_GROUP = 'confluence-administrators';
export const CONFLUENCE_USERS_GROUP = 'confluence-users';
export const INTERNAL_DIRECTORY_NAME = 'Confluence Internal Directory';
