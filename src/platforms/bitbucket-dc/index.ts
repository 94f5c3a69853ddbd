// The Bitbucket Data Center driver: declarations and connection. Reads and writes live in directory.ts.
import { createHttpClient } from '../../http/index.ts';
import type { DriverContext, PlatformDriver } from '../driver.ts';
import { dcAuth } from '../shared/dc-auth.ts';
import { BITBUCKET_CAPABILITIES } from './capabilities.ts';
import { BitbucketDcDirectory } from './directory.ts';

export const bitbucketDc: PlatformDriver = {
  id: 'bitbucket-dc',
  product: 'Bitbucket Data Center',
  credentials: {
    auth: [
      { keys: ['token'], label: 'an HTTP access token of an ADMIN user, sent as Bearer' },
      { keys: ['username', 'password'], label: 'Basic auth of an ADMIN user' },
    ],
  },
  reportsDirectories: true,
  capabilities: BITBUCKET_CAPABILITIES,
  connect(ctx: DriverContext) {
    // Bitbucket does not use Seraph: bad credentials get 401, so no login-reason hook is needed.
    const http = createHttpClient({
      baseUrl: ctx.url,
      readOnly: ctx.readOnly,
      log: ctx.log,
      concurrency: ctx.concurrency,
      sleep: ctx.sleep,
      auth: dcAuth(ctx.credentials, bitbucketDc.product),
    });
    return new BitbucketDcDirectory({
      http,
      scope: ctx.scope,
      clock: ctx.clock,
      ...(ctx.credentials.token ? {} : { username: ctx.credentials.username }),
    });
  },
};
