// The JSON-serialisable description of an instance the sandbox starts from (a file, a literal in a test,
// or the output of the generator). Everything optional has a default applied by the store and the product.
import { readFile } from 'node:fs/promises';
import { INTERNAL_DIRECTORY_ID } from './records.ts';
import type { SandboxStore } from './store.ts';

export interface ScenarioDirectory {
  /** The numeric directory id (cwd_directory.id). The internal directory is 1 by default. */
  id: number;
  name: string;
  type?: 'INTERNAL' | 'LDAP';
  /** Accounts in a read-only directory cannot be changed, deactivated, deleted or regrouped over REST. */
  readOnly?: boolean;
  /** "Read Only, with Local Groups": its users may join groups of the internal directory. */
  localGroups?: boolean;
}

export interface ScenarioUser {
  /** Username (renameable). */
  name: string;
  /**
   * Stable key; defaults to the product's style: on Jira the lower-cased name (pre-8.4) or JIRAUSERnnnnn
   * when `created` is recent, on Confluence a 32-digit hex key.
   */
  key?: string;
  displayName?: string;
  email?: string | null;
  active?: boolean;
  /** Directory id; default 1 (the product's internal directory). */
  directory?: number;
  /** ISO timestamp. */
  created?: string;
  /** ISO timestamp of the last login; null or absent = never logged in. */
  lastLogin?: string | null;
  loginCount?: number;
  /** Lets this account authenticate with Basic auth. */
  password?: string;
  /** Personal access tokens that authenticate this account with Bearer auth. */
  tokens?: string[];
  /** Direct group memberships. */
  groups?: string[];
  timeZone?: string;
  locale?: string;
}

export interface ScenarioGroup {
  name: string;
  /** Directory id; default 1. Groups of a read-only directory cannot be changed. */
  directory?: number;
  /** Nested groups: their members count as members of this group in group/member. */
  children?: string[];
}

/** A Jira application role (jira-dc only; other products ignore it). */
export interface ScenarioApplicationRole {
  key: string;
  name: string;
  groups: string[];
  defaultGroups?: string[];
  /** -1 = unlimited. */
  numberOfSeats?: number;
  selectedByDefault?: boolean;
  platform?: boolean;
}

/** Bitbucket's global permissions, lowest first (each implies the ones before it). */
export type ScenarioGlobalPermission = 'LICENSED_USER' | 'PROJECT_CREATE' | 'ADMIN' | 'SYS_ADMIN';

/** bitbucket-dc only: global permissions granted to users directly and to groups. */
export interface ScenarioGlobalPermissions {
  /** username → permission. */
  users?: Record<string, ScenarioGlobalPermission>;
  /** group → permission; default stash-users LICENSED_USER, sys-admins SYS_ADMIN. */
  groups?: Record<string, ScenarioGlobalPermission>;
}

export interface Scenario {
  directories?: ScenarioDirectory[];
  users: ScenarioUser[];
  groups?: ScenarioGroup[];
  /** jira-dc only; default: Jira Software (jira-software-users, jira-administrators) and Jira Core. */
  applicationRoles?: ScenarioApplicationRole[];
  /** crowd only: directory types and permissions, the application's directory mappings. */
  crowd?: ScenarioCrowd;
  /** bitbucket-dc only (other products ignore it). */
  globalPermissions?: ScenarioGlobalPermissions;
  /** bitbucket-dc only: usernames of accounts of type SERVICE (not people). */
  serviceUsers?: string[];
  /** cloud only: the organisation, its products, per-product activity, roles and account states. */
  cloud?: ScenarioCloud;
}

/**
 * An Atlassian Cloud organisation beside the directory (cloud only). Directories are the store's (a
 * read-only one is synced from an identity provider: its users are `managementSource: synced`, its groups
 * `externalSynced`); users are keyed by account id.
 */
export interface ScenarioCloud {
  org?: { id?: string; name?: string };
  /** Products of the organisation (one site each); default jira-software and confluence. */
  products?: string[];
  /**
   * group → products in which membership grants a billable seat (role atlassian/user); default
   * jira-software-users → jira-software, confluence-users → confluence.
   */
  grants?: Record<string, string[]>;
  /**
   * username → product → last active (ISO; null = has access, never used). Default: the user's lastLogin
   * in the first product; nothing for a user who never logged in.
   */
  activity?: Record<string, Record<string, string | null>>;
  /** username → platform roles held directly (members of org-admins and site-admins hold them too). */
  roles?: Record<string, string[]>;
  /** username → the Atlassian account's own status when not active. */
  accountStatus?: Record<string, 'inactive' | 'closed'>;
  /** usernames of app accounts (accountType app: bots, integrations). */
  apps?: string[];
  /** Groups whose members cannot change (managementAccess.modifiable false) though not synced. */
  fixedGroups?: string[];
}

/** Crowd's view of the directories (crowd only; other products ignore it). */
export interface ScenarioCrowd {
  directories?: ScenarioCrowdDirectory[];
  /** The application the sandbox's application credentials log in as. */
  application?: {
    /** Directory ids mapped to the application, in authentication order; default every directory. */
    directories?: number[];
  };
}

export interface ScenarioCrowdDirectory {
  /** Id of a directory of `directories`. */
  id: number;
  /** Crowd's DirectoryType; default INTERNAL for the internal directory, CONNECTOR for LDAP. */
  type?: 'INTERNAL' | 'CONNECTOR' | 'DELEGATING' | 'CROWD' | 'CUSTOM' | 'AZURE_AD';
  /** Connector implementation; default OpenLDAP for LDAP directories. */
  implementation?: 'active-directory' | 'openldap' | 'generic-ldap';
  /** Operations the directory allows (Crowd's OperationType); default all, none for read-only directories. */
  allowedOperations?: string[];
  /**
   * Active Directory: Crowd writes user details back (localUserStatusEnabled false), so deactivating a
   * user in Crowd disables the AD account. Default false.
   */
  syncUserStatus?: boolean;
}

/** Reads a scenario from a JSON file, naming the file in any error. */
export async function loadScenarioFile(path: string): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new Error(`reading scenario file ${path}: ${(cause as Error).message}`, { cause });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new Error(`parsing scenario file ${path}: ${(cause as Error).message}`, { cause });
  }
  if (typeof data !== 'object' || data === null || !Array.isArray((data as { users?: unknown }).users)) {
    throw new Error(`scenario file ${path}: expected an object with a "users" array`);
  }
  return data as Scenario;
}

/** A store's directory as a scenario (products add their sections through store extensions). */
export function storeToScenario(store: SandboxStore): Scenario {
  return {
    directories: store.directories.map((d) => ({ ...d })),
    groups: store
      .groups()
      .map((g) => ({ name: g.name, directory: g.directoryId, children: [...g.children] })),
    users: store.users().map((u) => ({
      name: u.name,
      key: u.key,
      displayName: u.displayName,
      email: u.email,
      active: u.active,
      directory: u.directoryId,
      created: u.created,
      lastLogin: u.lastLogin,
      loginCount: u.loginCount,
      ...(u.password !== null ? { password: u.password } : {}),
      ...(u.tokens.length > 0 ? { tokens: [...u.tokens] } : {}),
      groups: store.groupsOf(u),
      timeZone: u.timeZone,
      locale: u.locale,
    })),
  };
}

/** Adds a scenario's users to a store, with their login history, tokens and direct memberships. */
export function addScenarioUsers(store: SandboxStore, users: ScenarioUser[], now: Date): void {
  for (const u of users) {
    const created = u.created ?? now.toISOString();
    const user = store.addUser({
      name: u.name,
      key: u.key,
      displayName: u.displayName ?? u.name,
      email: u.email === undefined ? `${u.name}@example.com` : u.email,
      active: u.active ?? true,
      directoryId: u.directory ?? INTERNAL_DIRECTORY_ID,
      created,
      password: u.password ?? null,
    });
    user.lastLogin = u.lastLogin ?? null;
    user.loginCount = u.loginCount ?? (user.lastLogin ? 1 : 0);
    store.setTokens(user, u.tokens ?? []);
    if (u.timeZone) user.timeZone = u.timeZone;
    if (u.locale) user.locale = u.locale;
    for (const g of u.groups ?? []) {
      if (!store.group(g)) store.addGroup(g, user.directoryId);
      store.addMember(g, user);
    }
  }
}
