// Test harness for the HTTP client: a real local server plus a client with a recording sleep; both are
// closed by closeAll() in afterEach.
import { createHttpClient } from '../../src/http/client.ts';
import type { HttpClientOptions } from '../../src/http/types.ts';
import { json, recordingSleep, startServer } from './server.ts';
import type { Handler } from './server.ts';

const opened: { close(): Promise<void> }[] = [];

export async function closeAll(): Promise<void> {
  for (const it of opened.splice(0).reverse()) await it.close();
}

export function track<T extends { close(): Promise<void> }>(it: T): T {
  opened.push(it);
  return it;
}

export async function setup(handler: Handler, opts: Partial<HttpClientOptions> = {}) {
  const server = track(await startServer(handler));
  const { sleep, asked } = recordingSleep();
  const logs: string[] = [];
  const client = track(
    createHttpClient({
      baseUrl: server.url,
      readOnly: false,
      sleep,
      random: () => 0.5,
      log: (m) => logs.push(m),
      ...opts,
    }),
  );
  return { server, client, asked, logs };
}

/** Answers the first n requests with `fail`, later ones with 200 `{ok: true}`. */
export function failFirst(n: number, fail: Handler): Handler {
  let seen = 0;
  return (req, res, raw) => (seen++ < n ? fail(req, res, raw) : json(res, 200, { ok: true }));
}

export async function caught(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}
