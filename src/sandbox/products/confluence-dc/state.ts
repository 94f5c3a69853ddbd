// What one running Confluence keeps beside the store: long tasks and the product knobs, and who counts
// as licensed ("Can use": confluence-users, confluence-administrators) or administrator.
import type { SandboxStore, UserRecord } from '../../store.ts';
import type { LongTasks } from './longtasks.ts';

export interface ConfluenceState {
  store: SandboxStore;
  tasks: LongTasks;
  /** Anonymous users have "Can use". */
  anonymousAccess: boolean;
  lastLoginFormat: 'iso' | 'epoch-ms';
  mayUse(user: UserRecord): boolean;
  isAdmin(user: UserRecord): boolean;
}

/** Where a user lives decides what a write does: read-only directories keep everything as it was. */
export function readOnly(store: SandboxStore, user: UserRecord): boolean {
  return store.directory(user.directoryId)?.readOnly ?? false;
}
