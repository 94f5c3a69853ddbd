// snapshot.json as a sequence of chunks, byte-for-byte `JSON.stringify(snapshot, null, 2)` and a newline, made one
// user at a time: `aup export` streams it to the file without building the whole text in memory. Pure.
import type { Snapshot } from '../model.ts';

const indent = (json: string, by: string) => json.replace(/\n/g, `\n${by}`);

export function* snapshotJsonChunks(snapshot: Snapshot): Generator<string> {
  const entries = Object.entries(snapshot).filter(([, v]) => v !== undefined);
  if (entries.length === 0) {
    yield '{}\n';
    return;
  }
  yield '{\n';
  for (const [i, [key, value]] of entries.entries()) {
    const last = i === entries.length - 1;
    yield `  ${JSON.stringify(key)}: `;
    if (key === 'users' && Array.isArray(value) && value.length > 0) {
      yield '[\n';
      for (const [j, user] of (value as unknown[]).entries())
        yield `    ${indent(JSON.stringify(user, null, 2), '    ')}${j === value.length - 1 ? '\n' : ',\n'}`;
      yield '  ]';
    } else {
      yield indent(JSON.stringify(value, null, 2), '  ');
    }
    yield last ? '\n' : ',\n';
  }
  yield '}\n';
}
