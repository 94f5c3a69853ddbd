// Bitbucket's fixed names: the default group that grants the licence, the administrators' group of the demo
// organisation, the internal directory.
export const STASH_USERS_GROUP = 'stash-users';
export const SYS_ADMINS_GROUP = 'sys-admins';
export const INTERNAL_DIRECTORY_NAME = 'Bitbucket Internal Directory';
