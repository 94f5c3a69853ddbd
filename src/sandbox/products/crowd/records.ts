// Crowd's own records beside the directory, kept as a store extension: each directory's type, connector
// implementation, allowed operations and attributes (Crowd's Directory: getType, getImplementationClass,
// getAllowedOperations, getAttributes), the application's directory mappings, users' first and last names
// (Crowd keeps them apart), and what the sandbox did outside Crowd (AD accounts disabled by write-back,
// password-reset mails sent) so tests can assert it.
import type { Scenario, ScenarioCrowd, ScenarioCrowdDirectory } from '../../scenario.ts';
import type { DirectoryRecord, SandboxStore, StoreExtension, UserRecord } from '../../store.ts';
import { splitDisplayName, type UserNames } from '../../crowd-rest.ts';

export const OPERATIONS = [
  'CREATE_USER',
  'UPDATE_USER',
  'DELETE_USER',
  'CREATE_GROUP',
  'UPDATE_GROUP',
  'DELETE_GROUP',
  'UPDATE_USER_ATTRIBUTE',
  'UPDATE_GROUP_ATTRIBUTE',
] as const;
export type Operation = (typeof OPERATIONS)[number];

export type CrowdDirectoryType = NonNullable<ScenarioCrowdDirectory['type']>;

const IMPLEMENTATIONS = {
  internal: 'com.atlassian.crowd.directory.InternalDirectory',
  'active-directory': 'com.atlassian.crowd.directory.MicrosoftActiveDirectory',
  openldap: 'com.atlassian.crowd.directory.OpenLDAP',
  'generic-ldap': 'com.atlassian.crowd.directory.GenericLDAP',
  delegating: 'com.atlassian.crowd.directory.DelegatedAuthenticationDirectory',
  crowd: 'com.atlassian.crowd.directory.RemoteCrowdDirectory',
  'azure-ad': 'com.atlassian.crowd.directory.AzureAdDirectory',
} as const;

export interface CrowdDirectoryRecord {
  id: number;
  type: CrowdDirectoryType;
  implementationClass: string;
  allowedOperations: Operation[];
  /** Crowd's directory attributes; `localUserStatusEnabled` false on AD = user status written back. */
  attributes: Record<string, string>;
}

export class CrowdRecords implements StoreExtension {
  readonly directories = new Map<number, CrowdDirectoryRecord>();
  /** Directory ids the application is mapped to, in order. */
  mapped: number[];
  private readonly names = new Map<number, UserNames>();
  /** Usernames (lower-cased) whose Active Directory account Crowd disabled by writing the status back. */
  readonly adDisabled = new Set<string>();
  /** Usernames a password-reset mail was sent to, in order. */
  readonly resetMails: string[] = [];
  private readonly scenario: ScenarioCrowd;
  private readonly store: SandboxStore;

  constructor(store: SandboxStore, scenario: ScenarioCrowd = {}) {
    this.scenario = scenario;
    this.store = store;
    for (const d of store.directories) this.directories.set(d.id, directoryRecord(d, scenario));
    this.mapped = scenario.application?.directories ?? store.directories.map((d) => d.id);
  }

  directory(id: number): CrowdDirectoryRecord | undefined {
    return this.directories.get(id);
  }

  allows(directoryId: number, op: Operation): boolean {
    return this.directories.get(directoryId)?.allowedOperations.includes(op) ?? false;
  }

  /** Whether deactivating a user of this directory also disables their Active Directory account. */
  writesStatusBack(directoryId: number): boolean {
    const d = this.directories.get(directoryId);
    return (
      d !== undefined &&
      d.implementationClass === IMPLEMENTATIONS['active-directory'] &&
      d.allowedOperations.includes('UPDATE_USER') &&
      d.attributes.localUserStatusEnabled === 'false'
    );
  }

  /** The application sees users and groups of the directories mapped to it only. */
  visible(user: UserRecord): boolean {
    return this.mapped.includes(user.directoryId);
  }

  namesOf(user: UserRecord): UserNames {
    return this.names.get(user.id) ?? splitDisplayName(user.displayName);
  }

  setNames(user: UserRecord, names: UserNames): void {
    if (JSON.stringify(this.namesOf(user)) !== JSON.stringify(names)) this.store.touch();
    this.names.set(user.id, names);
  }

  toScenario(): Partial<Scenario> {
    return { crowd: { ...this.scenario, application: { directories: [...this.mapped] } } };
  }
}

function directoryRecord(d: DirectoryRecord, scenario: ScenarioCrowd): CrowdDirectoryRecord {
  const s = scenario.directories?.find((x) => x.id === d.id);
  const type: CrowdDirectoryType = s?.type ?? (d.type === 'INTERNAL' ? 'INTERNAL' : 'CONNECTOR');
  const implementation =
    type === 'INTERNAL'
      ? IMPLEMENTATIONS.internal
      : type === 'DELEGATING'
        ? IMPLEMENTATIONS.delegating
        : type === 'CROWD'
          ? IMPLEMENTATIONS.crowd
          : type === 'AZURE_AD'
            ? IMPLEMENTATIONS['azure-ad']
            : IMPLEMENTATIONS[s?.implementation ?? 'openldap'];
  const readOnlyOps: Operation[] = d.localGroups ? ['CREATE_GROUP', 'UPDATE_GROUP', 'DELETE_GROUP'] : [];
  const allowed = (s?.allowedOperations ?? (d.readOnly ? readOnlyOps : [...OPERATIONS])).filter(
    (op): op is Operation => (OPERATIONS as readonly string[]).includes(op),
  );
  const attributes: Record<string, string> = {};
  if (implementation === IMPLEMENTATIONS['active-directory'])
    attributes.localUserStatusEnabled = s?.syncUserStatus ? 'false' : 'true';
  return { id: d.id, type, implementationClass: implementation, allowedOperations: allowed, attributes };
}

export function attachCrowdRecords(store: SandboxStore, scenario: Scenario): CrowdRecords {
  const records = new CrowdRecords(store, scenario.crowd);
  store.attach('crowd', records);
  return records;
}

export function crowdRecords(store: SandboxStore): CrowdRecords {
  const r = store.extension<CrowdRecords>('crowd');
  if (!r) throw new Error('the Crowd records are not attached to this store');
  return r;
}
