// Jira's fixed names: the administrators' group, the default Jira Software group, the internal directory.
export const ADMIN_GROUP = 'jira-administrators';
export const SOFTWARE_GROUP = 'jira-software-users';
export const INTERNAL_DIRECTORY_NAME = 'Jira Internal Directory';
