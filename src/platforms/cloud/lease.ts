// Cloud's lease markers: groups of the first directory the policy manages (POST …/directories/{dir}/groups;
// a name already taken is refused), found with groups/search by name, deleted by id (DELETE …/groups/{id}).
import { paginateCloudSearch } from '../../http/index.ts';
import type { HttpClient } from '../../http/types.ts';
import type { LeaseStore } from '../driver.ts';
import { removeGone, startsWithFolded } from '../shared/lease-store.ts';

const enc = encodeURIComponent;

export function cloudLeaseStore(
  http: HttpClient,
  org: string,
  directories: () => Promise<{ id: string }[]>,
): LeaseStore {
  const dir = async () => {
    const first = (await directories())[0];
    if (!first) throw new Error(`organisation ${org}: no directory to record the lease in`);
    return `/admin/v2/orgs/${enc(org)}/directories/${enc(first.id)}`;
  };
  const search = async (body: Record<string, unknown>) => {
    const found: { id: string; name: string }[] = [];
    for await (const g of paginateCloudSearch<{ id: string; name: string }>(
      http,
      `${await dir()}/groups/search`,
      {
        pageSize: 100,
        body,
      },
    ))
      found.push(g);
    return found;
  };
  return {
    where: 'groups of the Cloud organisation',
    async list(prefix) {
      return (await search({ searchTerm: prefix }))
        .map((g) => g.name)
        .filter((n) => startsWithFolded(n, prefix));
    },
    async create(name) {
      await http.post(`${await dir()}/groups`, {
        body: { name, description: 'aup: an apply holds this organisation' },
      });
    },
    async remove(name) {
      const [group] = (await search({ groupNames: [name] })).filter(
        (g) => g.name.toLowerCase() === name.toLowerCase(),
      );
      if (!group) return;
      await removeGone(async () => http.delete(`${await dir()}/groups/${enc(group.id)}`));
    },
  };
}
