// Bitbucket's lease markers: groups (POST admin/groups?name=; an existing name is a 409), listed with the
// admin/groups filter, deleted with DELETE admin/groups?name=.
import { paginateBitbucket } from '../../http/index.ts';
import type { HttpClient } from '../../http/types.ts';
import type { LeaseStore } from '../driver.ts';
import { removeGone, startsWithFolded } from '../shared/lease-store.ts';

const API = '/rest/api/1.0';

export function bitbucketLeaseStore(http: HttpClient): LeaseStore {
  return {
    where: 'groups of Bitbucket Data Center',
    async list(prefix) {
      const names: string[] = [];
      for await (const g of paginateBitbucket<{ name: string }>(http, `${API}/admin/groups`, {
        query: { filter: prefix },
        pageSize: 1000,
      }))
        if (startsWithFolded(g.name, prefix)) names.push(g.name);
      return names;
    },
    async create(name) {
      await http.post(`${API}/admin/groups`, { query: { name } });
    },
    remove: (name) => removeGone(() => http.delete(`${API}/admin/groups`, { query: { name } })),
  };
}
