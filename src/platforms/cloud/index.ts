// The Atlassian Cloud driver: declarations and connection. An organisation API key (Bearer) is the only
// credential; it belongs to no user, so no account is protected for being "the credentials' own" (protect
// the automation's accounts with protect.users). Reads and writes live in directory.ts and writes.ts.
import { setTimeout as delay } from 'node:timers/promises';
import { createHttpClient } from '../../http/index.ts';
import type { DriverContext, PlatformDriver } from '../driver.ts';
import { SEARCHES } from './api.ts';
import { CLOUD_CAPABILITIES } from './capabilities.ts';
import { CloudDirectory } from './directory.ts';

export const cloud: PlatformDriver = {
  id: 'cloud',
  product: 'Atlassian Cloud organization',
  defaultUrl: 'https://api.atlassian.com',
  credentials: {
    auth: [
      {
        keys: ['token'],
        label:
          'an organisation API key (admin.atlassian.com → Settings → API keys; without scopes to apply), sent as Bearer',
      },
    ],
  },
  reportsDirectories: true,
  capabilities: CLOUD_CAPABILITIES,
  connect(ctx: DriverContext) {
    const http = createHttpClient({
      baseUrl: ctx.url,
      readOnly: ctx.readOnly,
      readOnlyAllow: [SEARCHES],
      log: ctx.log,
      onEvent: ctx.onHttpEvent,
      concurrency: ctx.concurrency,
      sleep: ctx.sleep,
      auth: { type: 'bearer', token: ctx.credentials.token ?? '' },
    });
    return new CloudDirectory({
      http,
      scope: ctx.scope,
      clock: ctx.clock,
      sleep: ctx.sleep ?? ((ms) => delay(ms)),
    });
  },
};
