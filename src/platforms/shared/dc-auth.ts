// Data Center authentication: a personal access token (Bearer) wins over Basic username/password.
import type { Auth } from '../../http/types.ts';
import { ConfigError, type Credentials } from '../driver.ts';

export function dcAuth(c: Credentials, product: string): Auth {
  if (c.token) return { type: 'bearer', token: c.token };
  if (c.username && c.password) return { type: 'basic', username: c.username, password: c.password };
  throw new ConfigError(
    `no credentials for ${product}: set ATLASSIAN_TOKEN (a personal access token) or ATLASSIAN_USERNAME and ATLASSIAN_PASSWORD`,
  );
}
