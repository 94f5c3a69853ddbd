// The Jira Data Center driver: declarations and connection. Reads and writes live in directory.ts.
import { createHttpClient } from '../../http/index.ts';
import type { HttpClient } from '../../http/types.ts';
import type { Credentials, DriverContext, PlatformDriver } from '../driver.ts';
import { seraphLoginFailure } from '../shared/dc-login.ts';
import { dcAuth } from '../shared/dc-auth.ts';
import { capabilitiesFor } from './capabilities.ts';
import { JiraDcDirectory } from './directory.ts';

export const jiraDc: PlatformDriver = {
  id: 'jira-dc',
  product: 'Jira Data Center',
  credentials: {
    auth: [
      { keys: ['token'], label: 'a personal access token, sent as Bearer' },
      { keys: ['username', 'password'], label: 'Basic auth; off by default on Jira 11' },
    ],
    optional: [{ keys: ['appName', 'appPassword'], purpose: "login times from Jira's embedded Crowd" }],
  },
  reportsDirectories: false,
  capabilities: capabilitiesFor([]),
  connect(ctx: DriverContext) {
    const common = {
      baseUrl: ctx.url,
      readOnly: ctx.readOnly,
      log: ctx.log,
      onEvent: ctx.onHttpEvent,
      concurrency: ctx.concurrency,
      sleep: ctx.sleep,
      loginFailure: seraphLoginFailure,
    };
    const http = createHttpClient({ ...common, auth: dcAuth(ctx.credentials, jiraDc.product) });
    return new JiraDcDirectory({ http, crowd: crowdClient(ctx, common), scope: ctx.scope, clock: ctx.clock });
  },
};

/** Jira as a Crowd server, with the application's name and password (login times), when both are set. */
function crowdClient(
  ctx: DriverContext,
  common: Parameters<typeof createHttpClient>[0],
): HttpClient | undefined {
  const c: Credentials = ctx.credentials;
  if (!c.appName || !c.appPassword) return undefined;
  return createHttpClient({
    ...common,
    auth: { type: 'basic', username: c.appName, password: c.appPassword },
  });
}
