// Reading a large snapshot file without holding its text: the file is read in chunks, the `users` array is
// parsed one user at a time (checked by user-check.ts, identical strings shared), and the rest of the file —
// small: instance, groups, admins — is kept as text with an empty users array, parsed and validated by zod at
// the end. A 1M-user file (375 MB) needs the users' memory, not also the text's and a second copy's.
//
// Anything this reader does not follow — a file that is not one JSON object, a user its check refuses, a
// JSON syntax error, a second `users` key — gives null: the caller reads the file the careful way
// (load.ts), which locates every error. So this is an optimisation only: same result or no result.
import { createReadStream } from 'node:fs';
import type { Snapshot, User } from '../model.ts';
import { snapshotSchema } from './schema.ts';
import { checkUser, Pool } from './user-check.ts';

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_OBJ = 123;
const CLOSE_OBJ = 125;
const OPEN_ARR = 91;
const CLOSE_ARR = 93;
const COMMA = 44;
const isSpace = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;

/** Index of the quote closing the string opened at `open`, or -1 when it is not in `text` yet. */
function closingQuote(text: string, open: number): number {
  let from = open + 1;
  for (;;) {
    const q = text.indexOf('"', from);
    if (q < 0) return -1;
    let k = q - 1;
    while (text.charCodeAt(k) === BACKSLASH) k--;
    if ((q - 1 - k) % 2 === 0) return q;
    from = q + 1;
  }
}

class NotFollowed extends Error {}

/** The scanner's state across chunks. Indexes are into `buf`, which drops what is no longer needed. */
class Scanner {
  buf = '';
  pos = 0;
  depth = 0;
  /** The last string seen at depth 1 (the key, when an array opens at depth 1). */
  key = '';
  inUsers = false;
  usersSeen = false;
  /** In the users array: expecting a user ('{'), a user or the end (']'), or a comma or the end. */
  expect: 'user' | 'user-or-end' | 'comma-or-end' = 'user-or-end';
  /** Start of the user being read, or -1. */
  userStart = -1;
  /** Text outside the users array not yet moved to `rest`, from here. */
  restFrom = 0;
  rest: string[] = [];
  users: User[] = [];
  readonly pool = new Pool();
  started = false;

  feed(chunk: string): void {
    this.buf += chunk;
    this.scan();
    // Keep only what is still needed: the user being read, or the rest text not yet copied.
    const keep = Math.min(
      this.userStart >= 0 ? this.userStart : this.pos,
      this.inUsers ? this.pos : this.restFrom,
    );
    if (!this.inUsers && this.restFrom < this.pos) {
      this.rest.push(this.buf.slice(this.restFrom, this.pos));
      this.restFrom = this.pos;
    }
    if (keep > 0) {
      this.buf = this.buf.slice(keep);
      this.pos -= keep;
      if (this.userStart >= 0) this.userStart -= keep;
      this.restFrom = Math.max(0, this.restFrom - keep);
    }
  }

  private scan(): void {
    // The state in locals for the loop (written back at the end): this loop sees every byte outside strings.
    const text = this.buf;
    const n = text.length;
    let i = this.pos;
    let depth = this.depth;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        const q = closingQuote(text, i);
        if (q < 0) break; // the string ends in a later chunk: rescan it from its start
        if (depth === 1) this.key = text.slice(i + 1, q);
        else if (depth === 2 && this.inUsers) throw new NotFollowed();
        i = q;
      } else if (c === OPEN_OBJ || c === OPEN_ARR) {
        if (depth === 2 && this.inUsers) {
          if (c !== OPEN_OBJ || this.expect === 'comma-or-end') throw new NotFollowed();
          this.userStart = i;
        } else if (depth === 1 && c === OPEN_ARR && this.key === 'users') {
          if (this.usersSeen) throw new NotFollowed();
          this.usersSeen = true;
          this.inUsers = true;
          this.expect = 'user-or-end';
          this.rest.push(text.slice(this.restFrom, i + 1));
        } else if (depth === 0 && (c !== OPEN_OBJ || this.started)) throw new NotFollowed();
        this.started = true;
        depth++;
      } else if (c === CLOSE_OBJ || c === CLOSE_ARR) {
        depth--;
        if (depth === 2 && this.inUsers) {
          this.user(text.slice(this.userStart, i + 1));
          this.userStart = -1;
          this.expect = 'comma-or-end';
        } else if (depth === 1 && this.inUsers) {
          if (c !== CLOSE_ARR || this.expect === 'user') throw new NotFollowed();
          this.inUsers = false;
          this.restFrom = i;
        } else if (depth < 0) throw new NotFollowed();
      } else if (depth === 2 && this.inUsers) {
        if (c === COMMA && this.expect === 'comma-or-end') this.expect = 'user';
        else if (!isSpace(c)) throw new NotFollowed();
      } else if (depth === 0 && !isSpace(c) && !(c === 0xfeff && !this.started)) throw new NotFollowed();
    }
    this.pos = i;
    this.depth = depth;
  }

  private user(json: string): void {
    let raw: unknown;
    try {
      raw = JSON.parse(json);
    } catch {
      throw new NotFollowed();
    }
    const u = checkUser(raw, this.pool);
    if (!u) throw new NotFollowed();
    this.users.push(u);
  }
}

/** The snapshot in `file`, or null when the careful reader must read it (see above). I/O errors throw. */
export async function streamSnapshot(file: string, chunkBytes = 1 << 20): Promise<Snapshot | null> {
  const s = new Scanner();
  try {
    for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: chunkBytes }))
      s.feed(chunk as string);
  } catch (e) {
    if (e instanceof NotFollowed) return null;
    throw e;
  }
  if (s.depth !== 0 || s.inUsers || !s.usersSeen) return null;
  s.rest.push(s.buf.slice(s.restFrom));
  let rest: unknown;
  try {
    rest = JSON.parse(s.rest.join(''));
  } catch {
    return null;
  }
  let result: ReturnType<typeof snapshotSchema.safeParse>;
  try {
    result = snapshotSchema.safeParse(rest);
  } catch {
    return null; // nested too deeply for zod: the careful reader says so
  }
  if (!result.success || result.data.users.length > 0) return null;
  // The users in the schema's place among the keys, as zod returns them.
  const users = s.users;
  return Object.fromEntries(
    Object.entries(result.data).map(([k, v]) => [k, k === 'users' ? users : v]),
  ) as unknown as Snapshot;
}
