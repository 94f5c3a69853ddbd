// Reading a snapshot file: streamed a user at a time when it is valid (stream.ts), else parsed whole and, when
// invalid, re-read with positions for the error.
import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import type { Snapshot } from '../model.ts';
import { type Diagnostic, PolicyError } from '../policy/diagnostics.ts';
import { Locator } from '../policy/parse.ts';
import { snapshotSchema } from './schema.ts';
import { streamSnapshot } from './stream.ts';

export async function loadSnapshot(file: string): Promise<Snapshot> {
  const fail = (e: Error) => {
    throw new PolicyError([
      { severity: 'error', file, line: 1, col: 1, field: '', message: `reading the snapshot: ${e.message}` },
    ]);
  };
  // The fast reader first (a user at a time, no whole text); it gives up on anything it does not follow,
  // and the careful reader below then reads the file again, locating every error.
  const streamed = await streamSnapshot(file).catch(fail);
  if (streamed) return checkDuplicates(streamed, file);
  const text = await readFile(file, 'utf8').catch(fail);
  return parseSnapshot(text, file);
}

/** The snapshot, unless two users share an id (which the schema cannot express). */
function checkDuplicates(snapshot: Snapshot, file: string): Snapshot {
  const ids = new Set<string>();
  const users = snapshot.users;
  for (let i = 0; i < users.length; i++) {
    const u = users[i]!;
    if (ids.has(u.id))
      throw new PolicyError([
        {
          severity: 'error',
          file,
          line: 1,
          col: 1,
          field: `users[${i}].id`,
          message: `duplicate user id ${JSON.stringify(u.id)}`,
        },
      ]);
    ids.add(u.id);
  }
  return snapshot;
}

export function parseSnapshot(text: string, file: string): Snapshot {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const lc = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lc });
    const pos = doc.errors[0] ? lc.linePos(doc.errors[0].pos[0]) : { line: 1, col: 1 };
    throw new PolicyError([
      { severity: 'error', file, ...pos, field: '', message: `not valid JSON: ${(e as Error).message}` },
    ]);
  }
  let result: ReturnType<typeof snapshotSchema.safeParse>;
  try {
    result = snapshotSchema.safeParse(raw);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    throw new PolicyError([
      { severity: 'error', file, line: 1, col: 1, field: '', message: 'not a snapshot: it nests too deeply' },
    ]);
  }
  if (result.success) return checkDuplicates(result.data, file);
  const lc = new LineCounter();
  const loc = new Locator(parseDocument(text, { lineCounter: lc }), lc, file);
  const diagnostics: Diagnostic[] = result.error.issues
    .slice(0, 50)
    .map((iss) => loc.error(iss.path, iss.message));
  throw new PolicyError(diagnostics);
}
