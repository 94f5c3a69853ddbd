// The Confluence Data Center driver: declarations and connection. Reads in directory.ts, writes in writes.ts.
import { setTimeout as delay } from 'node:timers/promises';
import { createHttpClient } from '../../http/index.ts';
import type { DriverContext, PlatformDriver } from '../driver.ts';
import { dcAuth } from '../shared/dc-auth.ts';
import { seraphLoginFailure } from '../shared/dc-login.ts';
import { capabilitiesFor } from './capabilities.ts';
import { ConfluenceDcDirectory } from './directory.ts';

export const confluenceDc: PlatformDriver = {
  id: 'confluence-dc',
  product: 'Confluence Data Center',
  credentials: {
    auth: [
      { keys: ['token'], label: 'a personal access token, sent as Bearer' },
      { keys: ['username', 'password'], label: 'Basic auth' },
    ],
  },
  reportsDirectories: false,
  capabilities: capabilitiesFor([]),
  connect(ctx: DriverContext) {
    const http = createHttpClient({
      baseUrl: ctx.url,
      readOnly: ctx.readOnly,
      log: ctx.log,
      concurrency: ctx.concurrency,
      sleep: ctx.sleep,
      onEvent: ctx.onHttpEvent,
      loginFailure: seraphLoginFailure,
      auth: dcAuth(ctx.credentials, confluenceDc.product),
    });
    return new ConfluenceDcDirectory({
      http,
      scope: ctx.scope,
      clock: ctx.clock,
      sleep: ctx.sleep ?? ((ms: number) => delay(ms)),
    });
  },
};
