// Crowd's lease markers: groups the application creates (POST /group, in the first of its directories that
// allows it) and deletes (DELETE /group), found with a CQL name search.
import { paginateCrowd } from '../../http/index.ts';
import type { HttpClient } from '../../http/types.ts';
import type { LeaseStore } from '../driver.ts';
import { removeGone, startsWithFolded } from '../shared/lease-store.ts';

const UM = '/rest/usermanagement/1';

export function crowdLeaseStore(app: HttpClient): LeaseStore {
  return {
    where: 'groups of Crowd',
    async list(prefix) {
      const names: string[] = [];
      for await (const g of paginateCrowd<{ name: string }>(app, `${UM}/search`, {
        query: { 'entity-type': 'group', restriction: `name = "${prefix}*"` },
        pageSize: 1000,
        itemsKey: 'groups',
      }))
        if (startsWithFolded(g.name, prefix)) names.push(g.name);
      return names;
    },
    async create(name) {
      await app.post(`${UM}/group`, {
        body: { name, type: 'GROUP', active: true, description: 'aup: an apply holds this instance' },
      });
    },
    remove: (name) => removeGone(() => app.delete(`${UM}/group`, { query: { groupname: name } })),
  };
}
