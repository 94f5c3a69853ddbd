// Shared by the Confluence DC driver tests: the contract organisation in Confluence's groups, a sandbox per
// test over real HTTP with a fixed clock, connections with an injected sleep, policies from YAML text.
import { type Connection, connect, type Credentials } from '../../src/platforms/registry.ts';
import {
  type ConfluenceVersion,
  type SandboxHandle,
  type SandboxOptions,
  type Scenario,
  startSandbox,
} from '../../src/sandbox/index.ts';
import { confluenceDcFixture } from '../contract/confluence-dc.ts';
import { contractOrg, NOW } from '../contract/org.ts';
import { policy } from './helpers.ts';

export { NOW, policy };
export const org = (): Scenario => contractOrg(confluenceDcFixture);

export interface ConfluenceHarness {
  sb: SandboxHandle;
  /** What the driver asked to sleep (long-task polling, backoff), never really waited. */
  waits: number[];
  connect(
    text: string,
    o?: { readOnly?: boolean; credentials?: Credentials; sleep?: (ms: number) => Promise<void> },
  ): Promise<Connection>;
  close(): Promise<void>;
}

export async function confluence(
  version: ConfluenceVersion = '10.2',
  options: Partial<SandboxOptions> = {},
): Promise<ConfluenceHarness> {
  const sb = await startSandbox({
    platform: 'confluence-dc',
    version,
    now: NOW,
    clock: () => NOW.getTime(),
    scenario: org(),
    ...options,
  });
  const waits: number[] = [];
  const conns: Connection[] = [];
  return {
    sb,
    waits,
    async connect(text, o = {}) {
      const conn = await connect(policy(text), {
        url: sb.url,
        credentials: o.credentials ?? { token: sb.credentials.token },
        readOnly: o.readOnly ?? true,
        clock: () => NOW,
        sleep:
          o.sleep ??
          (async (ms) => {
            waits.push(ms);
          }),
      });
      conns.push(conn);
      return conn;
    },
    async close() {
      await Promise.all(conns.map((c) => c.close()));
      await sb.close();
    },
  };
}

/** A policy of the contract organisation's platform with the given body. */
export const confluencePolicy = (body: string): string =>
  `version: 1\ninstance: { platform: confluence-dc, access_groups: [confluence-users] }\n${body}`;
