// Jira's lease markers: groups (POST /rest/api/2/group; an existing name is a 400), listed through the
// groups picker (Jira DC's only group listing; it matches substrings), deleted with DELETE group?groupname=.
import type { HttpClient } from '../../http/types.ts';
import type { LeaseStore } from '../driver.ts';
import { removeGone, startsWithFolded } from '../shared/lease-store.ts';

export function jiraLeaseStore(http: HttpClient): LeaseStore {
  return {
    where: 'groups of Jira Data Center',
    async list(prefix) {
      const found = await http.getJson<{ groups?: { name: string }[] }>('/rest/api/2/groups/picker', {
        query: prefix,
        maxResults: 1000,
      });
      return (found.groups ?? []).map((g) => g.name).filter((n) => startsWithFolded(n, prefix));
    },
    async create(name) {
      await http.post('/rest/api/2/group', { body: { name } });
    },
    remove: (name) => removeGone(() => http.delete('/rest/api/2/group', { query: { groupname: name } })),
  };
}
