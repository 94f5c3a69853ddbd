// The fast path of snapshot validation for the users array: one user object checked against exactly what
// snapshotSchema's user entry accepts, and copied the way zod copies it (the schema's key order, optional
// keys only when present), without zod's per-value machinery. A user it does not accept is not an error
// here: the caller validates the whole file with zod, which locates and words every problem. So this check
// may refuse more than the schema, never less (test/snapshot/user-check.test.ts compares the two).
// Identical strings and directories are shared through a Pool: 5 million membership strings of 200 groups
// become 200 strings.
import { CHANGE_KINDS, type ChangeKind, type User } from '../model.ts';

/** z.iso.datetime({ offset: true }), as zod 4 writes it (the test checks they agree). */
export const ISO_DATETIME =
  /^(?:(?:\d\d[2468][048]|\d\d[13579][26]|\d\d0[48]|[02468][048]00|[13579][26]00)-02-29|\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|(?:02)-(?:0[1-9]|1\d|2[0-8])))T(?:(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|([+-](?:[01]\d|2[0-3]):[0-5]\d)))$/;

const USER_KEYS = new Set([
  'id',
  'name',
  'aliases',
  'email',
  'displayName',
  'active',
  'lastActive',
  'activityKnown',
  'products',
  'created',
  'directory',
  'groups',
  'access',
  'readOnly',
  'notes',
  'service',
]);
const KINDS = new Set<string>(CHANGE_KINDS);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isIso = (v: unknown): v is string => typeof v === 'string' && ISO_DATETIME.test(v);
const isoOrNull = (v: unknown): v is string | null => v === null || isIso(v);
/** Own keys all in `allowed` (zod's strictObject); every required key is checked by the caller. */
function onlyKeys(o: Obj, allowed: ReadonlySet<string>): boolean {
  for (const k in o) if (!allowed.has(k)) return false;
  return true;
}
const strings = (v: unknown, each: (s: unknown) => boolean): v is string[] =>
  Array.isArray(v) && v.every(each);
const kinds = (v: unknown): v is ChangeKind[] => Array.isArray(v) && v.every((k) => KINDS.has(k as string));

/** Shares identical strings and directory objects between users. */
export class Pool {
  private readonly strings = new Map<string, string>();
  private readonly directories = new Map<string, User['directory']>();
  str(s: string): string {
    const seen = this.strings.get(s);
    if (seen !== undefined) return seen;
    this.strings.set(s, s);
    return s;
  }
  directory(id: string, name: string, readOnly: boolean): User['directory'] {
    const key = `${readOnly ? 1 : 0}${id}\u0000${name}`;
    let d = this.directories.get(key);
    if (!d) this.directories.set(key, (d = { id, name, readOnly }));
    return d;
  }
}

const PRODUCT_KEYS = new Set(['product', 'lastActive']);
const DIRECTORY_KEYS = new Set(['id', 'name', 'readOnly']);
const ACCESS_KEYS = new Set(['groups', 'direct']);
const MARK_KEYS = new Set(['kinds', 'groups', 'reason']);
const NOTE_KEYS = new Set(['kinds', 'text']);

/** The user as snapshotSchema would give it back, or null when this check does not accept it. */
export function checkUser(u: unknown, pool: Pool): User | null {
  if (!isObj(u) || !onlyKeys(u, USER_KEYS)) return null;
  const { id, name, aliases, email, displayName, active, lastActive, activityKnown } = u;
  const { products, created, directory, groups, access, readOnly, notes, service } = u;
  if (!nonEmpty(id) || !nonEmpty(name) || !isStr(displayName)) return null;
  if (aliases !== undefined && !strings(aliases, nonEmpty)) return null;
  if (email !== null && !isStr(email)) return null;
  if (typeof active !== 'boolean' || typeof activityKnown !== 'boolean') return null;
  if (!isoOrNull(lastActive) || !isoOrNull(created)) return null;
  if (
    products !== undefined &&
    !(
      Array.isArray(products) &&
      products.every(
        (p) => isObj(p) && onlyKeys(p, PRODUCT_KEYS) && isStr(p.product) && isoOrNull(p.lastActive),
      )
    )
  )
    return null;
  if (
    !isObj(directory) ||
    !onlyKeys(directory, DIRECTORY_KEYS) ||
    !isStr(directory.id) ||
    !isStr(directory.name) ||
    typeof directory.readOnly !== 'boolean'
  )
    return null;
  if (!strings(groups, isStr)) return null;
  if (
    access !== undefined &&
    !(
      isObj(access) &&
      onlyKeys(access, ACCESS_KEYS) &&
      strings(access.groups, isStr) &&
      strings(access.direct, isStr)
    )
  )
    return null;
  if (
    readOnly !== undefined &&
    !(
      Array.isArray(readOnly) &&
      readOnly.every(
        (m) =>
          isObj(m) &&
          onlyKeys(m, MARK_KEYS) &&
          kinds(m.kinds) &&
          (m.groups === undefined || strings(m.groups, isStr)) &&
          isStr(m.reason),
      )
    )
  )
    return null;
  if (
    notes !== undefined &&
    !(
      Array.isArray(notes) &&
      notes.every((n) => isObj(n) && onlyKeys(n, NOTE_KEYS) && kinds(n.kinds) && isStr(n.text))
    )
  )
    return null;
  if (service !== undefined && typeof service !== 'boolean') return null;

  // The copy, in the schema's key order, as zod returns it.
  const out: Obj = { id, name };
  if (aliases !== undefined) out.aliases = [...aliases];
  out.email = email;
  out.displayName = displayName;
  out.active = active;
  out.lastActive = lastActive;
  out.activityKnown = activityKnown;
  if (products !== undefined)
    out.products = (products as Obj[]).map((p) => ({
      product: pool.str(p.product as string),
      lastActive: p.lastActive,
    }));
  out.created = created;
  out.directory = pool.directory(directory.id, directory.name, directory.readOnly);
  out.groups = groups.map((g) => pool.str(g));
  if (access !== undefined) {
    const a = access as { groups: string[]; direct: string[] };
    out.access = { groups: a.groups.map((g) => pool.str(g)), direct: a.direct.map((g) => pool.str(g)) };
  }
  if (readOnly !== undefined)
    out.readOnly = (readOnly as Obj[]).map((m) => ({
      kinds: [...(m.kinds as string[])],
      ...(m.groups !== undefined ? { groups: (m.groups as string[]).map((g) => pool.str(g)) } : {}),
      reason: pool.str(m.reason as string),
    }));
  if (notes !== undefined)
    out.notes = (notes as Obj[]).map((n) => ({
      kinds: [...(n.kinds as string[])],
      text: pool.str(n.text as string),
    }));
  if (service !== undefined) out.service = service;
  return out as unknown as User;
}
