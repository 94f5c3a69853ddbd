// What a user's directory means for the plan, from the admin API's facts: the directory reference, the
// changes Crowd will refuse (operations the directory does not allow), and the side effects a reviewer must
// see beside a change (an Active Directory connector that writes user status back disables the AD account
// when Crowd deactivates the user; a read/write LDAP or AD connector deletes the entry on the server).
import type { ChangeKind, ChangeNote, DirectoryRef, ReadOnlyMark } from '../../model.ts';
import type { DirectoryFacts } from './admin.ts';

const AD = /MicrosoftActiveDirectory/;

export interface DirectoryView {
  ref: DirectoryRef;
  readOnly: ReadOnlyMark[];
  notes: ChangeNote[];
}

/** Without admin credentials: one directory standing for all, with nothing known about it. */
export const UNKNOWN_DIRECTORY: DirectoryView = {
  ref: { id: 'crowd', name: 'Crowd directories', readOnly: false },
  readOnly: [],
  notes: [],
};

export function directoryView(d: DirectoryFacts): DirectoryView {
  const ref: DirectoryRef = { id: String(d.id), name: d.name, readOnly: false };
  const ops = d.allowedOperations;
  if (ops === null) {
    // Permissions unknown: refusals come from the write answers; side effects may exist and are said so.
    const notes: ChangeNote[] =
      d.type === 'CONNECTOR'
        ? [
            {
              kinds: ['deactivate', 'activate', 'delete'],
              text: `may also change the account in the LDAP/AD server of directory ${d.name} (its settings could not be read: ${d.unknown ?? 'unknown'})`,
            },
          ]
        : [];
    return { ref, readOnly: [], notes };
  }
  const refuses = (op: string, kinds: ChangeKind[]): ReadOnlyMark[] =>
    ops.includes(op)
      ? []
      : [{ kinds, reason: `directory ${d.name} (${d.type}) does not allow ${op} (Crowd's admin API)` }];
  const readOnly = [
    ...refuses('UPDATE_USER', ['activate', 'deactivate']),
    ...refuses('DELETE_USER', ['delete']),
    ...refuses('UPDATE_GROUP', ['add-member', 'remove-member', 'remove-access']),
  ];
  ref.readOnly = !ops.includes('UPDATE_USER') && !ops.includes('DELETE_USER');
  const notes: ChangeNote[] = [];
  const ad = AD.test(d.implementationClass ?? '');
  if (ad && ops.includes('UPDATE_USER') && d.attributes.localUserStatusEnabled !== 'true') {
    const why = `directory ${d.name} writes user status back`;
    notes.push({ kinds: ['deactivate'], text: `also disables the Active Directory account (${why})` });
    notes.push({ kinds: ['activate'], text: `also enables the Active Directory account (${why})` });
  }
  if (d.type === 'CONNECTOR' && ops.includes('DELETE_USER'))
    notes.push({
      kinds: ['delete'],
      text: `also deletes the entry in the ${ad ? 'Active Directory' : 'LDAP'} server of directory ${d.name}`,
    });
  return { ref, readOnly, notes };
}
