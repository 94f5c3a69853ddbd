// Confluence's lease markers: groups created and deleted through the admin group API (POST admin/group,
// DELETE admin/group/{name}), listed from GET group (every group, paged; there is no name filter).
import { paginateConfluence } from '../../http/index.ts';
import type { HttpClient } from '../../http/types.ts';
import type { LeaseStore } from '../driver.ts';
import { removeGone, startsWithFolded } from '../shared/lease-store.ts';

export function confluenceLeaseStore(http: HttpClient): LeaseStore {
  return {
    where: 'groups of Confluence Data Center',
    async list(prefix) {
      const names: string[] = [];
      for await (const g of paginateConfluence<{ name: string }>(http, '/rest/api/group', { pageSize: 200 }))
        if (startsWithFolded(g.name, prefix)) names.push(g.name);
      return names;
    },
    async create(name) {
      await http.post('/rest/api/admin/group', { body: { type: 'group', name } });
    },
    remove: (name) => removeGone(() => http.delete(`/rest/api/admin/group/${encodeURIComponent(name)}`)),
  };
}
