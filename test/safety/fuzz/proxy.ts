// A proxy in front of a sandbox that mutates the JSON answers of GET requests (seeded), so a driver reads
// truncated JSON, wrong types, huge strings, deep nesting and duplicate keys exactly as it would from a broken
// instance or proxy. Every other request passes through untouched.
import { createServer, request as forward } from 'node:http';
import type { AddressInfo } from 'node:net';
import { JSON_MUTATIONS, mutate } from './mutate.ts';

export interface MutatingProxy {
  url: string;
  /** What was mutated: `GET /path: mutation`. */
  mutated: string[];
  close(): Promise<void>;
}

/** Mutates the `which`-th GET answer that carries JSON (0-based), with the mutation `seed` picks. */
export async function startMutatingProxy(
  target: string,
  seed: number,
  which: number,
): Promise<MutatingProxy> {
  const upstream = new URL(target);
  const mutated: string[] = [];
  let jsonAnswers = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const out = forward(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: upstream.host },
        },
        (up) => {
          const body: Buffer[] = [];
          up.on('data', (c: Buffer) => body.push(c));
          up.on('end', () => {
            let text = Buffer.concat(body).toString('utf8');
            const json = /json/i.test(String(up.headers['content-type'] ?? ''));
            // GETs, and the POSTs that only read (searches that take their filter as a body: Cloud).
            const reads =
              req.method === 'GET' ||
              (req.method === 'POST' && /\/search$/.test(req.url?.split('?')[0] ?? ''));
            if (reads && json && text) {
              if (jsonAnswers++ === which) {
                const m = mutate(text, seed, JSON_MUTATIONS);
                mutated.push(`${req.method} ${req.url?.split('?')[0]}: ${m.name}`);
                text = m.text;
              }
            }
            const headers = { ...up.headers };
            delete headers['content-length'];
            delete headers['transfer-encoding'];
            res.writeHead(up.statusCode ?? 502, {
              ...headers,
              'content-length': String(Buffer.byteLength(text)),
            });
            res.end(text);
          });
        },
      );
      out.on('error', (e) => {
        res.writeHead(502).end(String(e));
      });
      out.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${upstream.pathname === '/' ? '' : upstream.pathname}`,
    mutated,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
