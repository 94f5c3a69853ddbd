// The Crowd Data Center driver: declarations and connection. Crowd authenticates *applications* on its
// usermanagement API (ATLASSIAN_APP_NAME / ATLASSIAN_APP_PASSWORD, required); an administrator's Basic
// credentials (ATLASSIAN_USERNAME / ATLASSIAN_PASSWORD, optional) add the admin API: each user's directory,
// what the directory allows, instance.directories, and the account behind the credentials.
import { createHttpClient } from '../../http/index.ts';
import type { DriverContext, PlatformDriver } from '../driver.ts';
import { seraphLoginFailure } from '../shared/dc-login.ts';
import { USERS_SEARCH } from './admin.ts';
import { CROWD_CAPABILITIES } from './capabilities.ts';
import { CrowdDirectory } from './directory.ts';

export const crowd: PlatformDriver = {
  id: 'crowd',
  product: 'Crowd Data Center',
  credentials: {
    auth: [
      {
        keys: ['appName', 'appPassword'],
        label: "a Crowd application's name and password (Crowd → Applications; allow the runner's address)",
      },
    ],
    optional: [
      {
        keys: ['username', 'password'],
        purpose:
          "a Crowd administrator's account: which directory each user is in and what it allows (admin REST API), instance.directories",
      },
    ],
  },
  reportsDirectories: true,
  capabilities: CROWD_CAPABILITIES,
  connect(ctx: DriverContext) {
    const c = ctx.credentials;
    const common = {
      baseUrl: ctx.url,
      readOnly: ctx.readOnly,
      log: ctx.log,
      onEvent: ctx.onHttpEvent,
      concurrency: ctx.concurrency,
      sleep: ctx.sleep,
    };
    const app = createHttpClient({
      ...common,
      auth: { type: 'basic', username: c.appName ?? '', password: c.appPassword ?? '' },
    });
    const admin =
      c.username && c.password
        ? createHttpClient({
            ...common,
            auth: { type: 'basic', username: c.username, password: c.password },
            readOnlyAllow: [new RegExp(`^${USERS_SEARCH.replace(/[./]/g, '\\$&')}$`)],
            loginFailure: seraphLoginFailure,
          })
        : undefined;
    return new CrowdDirectory({
      app,
      ...(admin ? { admin, self: c.username } : {}),
      scope: ctx.scope,
      clock: ctx.clock,
    });
  },
};
