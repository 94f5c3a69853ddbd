// Shared by the Bitbucket DC driver tests: a sandbox of the Bitbucket test organisation per test over real
// HTTP with a fixed clock, connections through the registry (as the CLI and the Action connect), and what
// the store says about a user's seat.
import { type Connection, connect, type Credentials } from '../../src/platforms/registry.ts';
import type { ResolvedPolicy } from '../../src/policy/resolved.ts';
import {
  bitbucketRecords,
  type SandboxHandle,
  type SandboxOptions,
  startSandbox,
} from '../../src/sandbox/index.ts';
import { bitbucketOrg } from '../sandbox/bitbucket-helpers.ts';
import { NOW } from './helpers.ts';

export { bitbucketOrg } from '../sandbox/bitbucket-helpers.ts';

export interface BitbucketHarness {
  sb: SandboxHandle;
  connect(
    resolved: ResolvedPolicy,
    o?: { readOnly?: boolean; credentials?: Credentials },
  ): Promise<Connection>;
  /** The store id of a user, as the driver names it. */
  id(name: string): string;
  /** The user's groups and own permission in the store: "stash-users,developers/LICENSED_USER". */
  seat(name: string): { groups: string[]; direct: string | null; licensed: boolean };
  close(): Promise<void>;
}

export async function bitbucket(
  options: Partial<SandboxOptions> & { sleep?: (ms: number) => Promise<void> } = {},
): Promise<BitbucketHarness> {
  const { sleep = async () => undefined, ...sandboxOptions } = options;
  const sb = await startSandbox({
    platform: 'bitbucket-dc',
    now: NOW,
    clock: () => NOW.getTime(),
    scenario: bitbucketOrg(),
    ...sandboxOptions,
  });
  const conns: Connection[] = [];
  return {
    sb,
    async connect(resolved, o = {}) {
      const conn = await connect(resolved, {
        url: sb.url,
        credentials: o.credentials ?? { token: sb.credentials.token },
        readOnly: o.readOnly ?? true,
        clock: () => NOW,
        sleep,
      });
      conns.push(conn);
      return conn;
    },
    id: (name) => String(sb.store.user(name)!.id),
    seat(name) {
      const user = sb.store.user(name)!;
      const records = bitbucketRecords(sb.store);
      return {
        groups: sb.store.groupsOf(user),
        direct: records.directOf(user),
        licensed: records.effective(user) !== null,
      };
    },
    async close() {
      await Promise.all(conns.map((c) => c.close()));
      await sb.close();
    },
  };
}
