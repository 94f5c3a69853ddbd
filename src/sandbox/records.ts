// Record types of the sandbox store and the Jira defaults every instance has.
import type { ScenarioApplicationRole } from './scenario.ts';

export interface DirectoryRecord {
  id: number;
  name: string;
  type: 'INTERNAL' | 'LDAP';
  readOnly: boolean;
  localGroups: boolean;
}

export interface UserRecord {
  /** Internal numeric id, in creation order (the order user/list streams in). */
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

export interface ApplicationRoleRecord {
  key: string;
  name: string;
  groups: string[];
  defaultGroups: string[];
  numberOfSeats: number;
  selectedByDefault: boolean;
  platform: boolean;
}

export const INTERNAL_DIRECTORY_ID = 1;
export const ADMIN_GROUP = 'jira-administrators';
export const SOFTWARE_GROUP = 'jira-software-users';
export function defaultRoles(userCount: number): ScenarioApplicationRole[] {
  return [
    {
      key: 'jira-software',
      name: 'Jira Software',
      groups: [SOFTWARE_GROUP, ADMIN_GROUP],
      defaultGroups: [SOFTWARE_GROUP],
      numberOfSeats: Math.max(25, Math.ceil((userCount * 1.1) / 50) * 50),
      selectedByDefault: true,
      platform: false,
    },
    { key: 'jira-core', name: 'Jira Core', groups: [], defaultGroups: [], numberOfSeats: -1, platform: true },
  ];
}
