// Record types of the sandbox store: a generic user directory (directories, users, groups, memberships).
// What a product adds (Jira application roles, Confluence long tasks) lives in its product module.
import type { Scenario } from './scenario.ts';

export interface DirectoryRecord {
  id: number;
  name: string;
  type: 'INTERNAL' | 'LDAP';
  readOnly: boolean;
  localGroups: boolean;
}

export interface UserRecord {
  /** Internal numeric id, in creation order (the order listings stream in). */
  id: number;
  key: string;
  name: string;
  displayName: string;
  email: string | null;
  active: boolean;
  directoryId: number;
  created: string;
  lastLogin: string | null;
  previousLogin: string | null;
  loginCount: number;
  password: string | null;
  tokens: string[];
  timeZone: string;
  locale: string;
}

export interface GroupRecord {
  name: string;
  directoryId: number;
  children: string[];
}

export const INTERNAL_DIRECTORY_ID = 1;

/** What a product says about its user directory: its name, the groups it always has, how users are keyed. */
export interface DirectoryProfile {
  internalDirectoryName: string;
  /** Groups every instance has, in the internal directory (the admin and default access groups). */
  builtInGroups: readonly string[];
  /** The stable key of a user created without one. */
  userKey(id: number, user: { name: string; created: string; directoryId?: number }): string;
}

/** A store without a product: no built-in groups, users keyed by their lower-cased name. */
export const PLAIN_DIRECTORY: DirectoryProfile = {
  internalDirectoryName: 'Internal Directory',
  builtInGroups: [],
  userKey: (_id, user) => user.name.toLowerCase(),
};

/** Product records kept beside the directory: exported with the scenario and told when a group goes. */
export interface StoreExtension {
  toScenario?(): Partial<Scenario>;
  onGroupDeleted?(name: string): void;
}
