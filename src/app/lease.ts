// One apply per instance at a time, across machines: a lease recorded on the instance itself, which every
// run that can write to it can see (two CI runners, a CI run and an admin's terminal, two repositories).
//
// The lease lives in groups of the instance (each driver's LeaseStore says how its platform creates, lists and
// deletes groups), because creating a group of a given name is the one write every platform makes atomic:
// of two runs creating the same name, one gets an error. Names carry the state:
//   aup-lease-<g>                              generation g was taken (created by exactly one run); kept
//   aup-lease-<g>-until-<unix s>-<host>-<pid>  its holder, and until when (renewed while the apply runs)
//   aup-lease-<g>-released                     its holder is done
// An apply first observes the newest generation g (a read: a refused or cancelled apply writes nothing) and
// refuses while it is held; it takes generation g+1 only right before its first change. Because taken
// generations are kept until a later one is taken, creating g+1 fails if any apply took the lease since this
// one read the instance: it then refuses instead of applying a plan made from a state that moved. A holder
// that crashed blocks for at most the TTL (or not at all for a rerun on the same host: its process is gone).
// The holder renews every third of the TTL and stops applying if a newer generation appears. Plans never take
// the lease and never wait for it. Between applies two empty groups stay: the last generation and its release.
import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { HttpError } from '../http/errors.ts';
import type { LeaseStore } from '../platforms/driver.ts';

export const LEASE_PREFIX = 'aup-lease-';
export const DEFAULT_LEASE_TTL_MS = 10 * 60_000;

export interface LeaseHolder {
  /** Host name (slugged into the group name). */
  host: string;
  pid: number;
}

export interface LeaseOptions {
  clock: () => Date;
  holder?: LeaseHolder;
  ttlMs?: number;
  /** How long a generation without its holder record is given to get one (its creator is between two writes). */
  settleMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Whether a process of this host is alive (default: signal 0). */
  isAlive?: (pid: number) => boolean;
}

/** Another run holds the lease: nothing was changed. */
export class LeaseHeld extends Error {
  override name = 'LeaseHeld';
}

/** The instance would not record a lease (no permission to create groups, …): nothing was changed. */
export class LeaseUnavailable extends Error {
  override name = 'LeaseUnavailable';
}

export interface Lease {
  /** The generation group, e.g. aup-lease-3. */
  readonly name: string;
  readonly until: Date;
  /** Why the lease is lost (taken over after an expiry, renewal failed), or null while it holds. */
  lost(): string | null;
  /** Extends it by the TTL; marks it lost when a newer generation exists or the renewal fails. */
  renew(): Promise<void>;
  /** Renews every third of the TTL until released. */
  keepAlive(): void;
  release(): Promise<void>;
}

export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'host'
  );
}

export function thisHolder(): LeaseHolder {
  return { host: slug(hostname()), pid: process.pid };
}

interface Beat {
  name: string;
  until: number;
  host: string;
  pid: number;
}

interface Generation {
  g: number;
  mutex: string | null;
  released: string | null;
  beats: Beat[];
}

const MUTEX = /^aup-lease-(\d+)$/i;
const RELEASED = /^aup-lease-(\d+)-released$/i;
const BEAT = /^aup-lease-(\d+)-until-(\d+)-([a-z0-9-]+)-(\d+)$/i;

/** Pure: the generations the names describe, newest first. */
export function readGenerations(names: readonly string[]): Generation[] {
  const byG = new Map<number, Generation>();
  const gen = (g: number) => byG.get(g) ?? byG.set(g, { g, mutex: null, released: null, beats: [] }).get(g)!;
  for (const name of names) {
    const m = MUTEX.exec(name);
    if (m) {
      gen(Number(m[1])).mutex = name;
      continue;
    }
    const r = RELEASED.exec(name);
    if (r) {
      gen(Number(r[1])).released = name;
      continue;
    }
    const b = BEAT.exec(name);
    if (b)
      gen(Number(b[1])).beats.push({
        name,
        until: Number(b[2]) * 1000,
        host: b[3]!.toLowerCase(),
        pid: Number(b[4]),
      });
  }
  return [...byG.values()].sort((a, b) => b.g - a.g);
}

const beatName = (g: number, untilMs: number, h: LeaseHolder) =>
  `${LEASE_PREFIX}${g}-until-${Math.ceil(untilMs / 1000)}-${slug(h.host)}-${h.pid}`;

function defaultIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

type Verdict = { free: true } | { free: false; why: string } | { settle: true };

/** Pure: whether the newest generation is free for the next one, at `now`, for `me`. */
export function leaseVerdict(
  gens: readonly Generation[],
  now: number,
  me: LeaseHolder,
  isAlive: (pid: number) => boolean,
): Verdict {
  const top = gens.find((x) => x.mutex);
  if (!top || top.released) return { free: true };
  const newest = [...top.beats].sort((a, b) => b.until - a.until)[0];
  if (!newest) return { settle: true };
  if (newest.until <= now) return { free: true };
  if (newest.host === slug(me.host) && newest.pid !== me.pid && !isAlive(newest.pid)) return { free: true };
  return {
    free: false,
    why: `${top.mutex} is held by ${newest.host}, process ${newest.pid}, until ${new Date(newest.until).toISOString()}`,
  };
}

/** What an apply saw of the lease before it read the instance: the generation it will take is `next`. */
export interface LeaseObservation {
  store: LeaseStore;
  next: number;
  /** Names of the older generations, removed once the next one is taken. */
  old: string[];
}

const heldMessage = (why: string) =>
  `another apply holds this instance: ${why}. Nothing was changed; apply again when it is done (the lease of a run that stopped expires by itself; or delete the groups ${LEASE_PREFIX}* on the instance)`;

function unavailable(store: LeaseStore, what: string, e: unknown): LeaseUnavailable {
  return new LeaseUnavailable(
    `${what} in the ${store.where} (${e instanceof Error ? e.message : String(e)}); an apply records its lease there so that no other apply runs at the same time: allow these credentials to create and delete groups, or set instance.lease: false in the policy and serialise applies another way`,
  );
}

/**
 * Reads the lease (a read only): throws LeaseHeld while another apply holds it, else says which generation
 * this apply will take. Call before reading the instance.
 */
export async function observeLease(store: LeaseStore, o: LeaseOptions): Promise<LeaseObservation> {
  const me = o.holder ?? thisHolder();
  const isAlive = o.isAlive ?? defaultIsAlive;
  const sleep = o.sleep ?? ((ms: number) => delay(ms));
  for (let settled = false; ; settled = true) {
    let names: string[];
    try {
      names = await store.list(LEASE_PREFIX);
    } catch (e) {
      // An instance that does not answer (network, 5xx) is down, not refusing a lease: the read fails as such.
      if (e instanceof HttpError && (e.status === undefined || e.status >= 500)) throw e;
      throw unavailable(store, 'listing the lease groups', e);
    }
    const gens = readGenerations(names);
    const v = leaseVerdict(gens, o.clock().getTime(), me, isAlive);
    // A generation without its holder's record: its creator is between its two writes, or died there.
    if ('settle' in v && !settled) {
      await sleep(o.settleMs ?? 5000);
      continue;
    }
    if ('free' in v && !v.free) throw new LeaseHeld(heldMessage(v.why));
    const top = gens.find((x) => x.mutex)?.g ?? 0;
    const old = gens.flatMap((x) => [x.mutex, x.released, ...x.beats.map((b) => b.name)]);
    return { store, next: top + 1, old: old.filter((n): n is string => n !== null) };
  }
}

const CREATE_ATTEMPTS = 3;

/** Whether an error leaves open if the write was done: no answer, a 5xx, a timeout, a 429 (not done, retry). */
function answerLost(e: unknown): boolean {
  if (!(e instanceof HttpError) || e.status === undefined) return true;
  return e.status >= 500 || e.status === 408 || e.status === 429;
}

/**
 * Creates one marker group. The HTTP client does not repeat a POST, so after a lost answer the listing says
 * whether the group exists: absent, it is created again (up to three attempts); present, the caller decides.
 * 'exists' is the instance's own refusal of an existing name.
 */
async function createMarker(
  store: LeaseStore,
  name: string,
  sleep: (ms: number) => Promise<void>,
): Promise<'created' | 'exists' | 'there after a lost answer'> {
  for (let attempt = 1; ; attempt++) {
    try {
      await store.create(name);
      return 'created';
    } catch (e) {
      let there: boolean;
      try {
        there = (await store.list(LEASE_PREFIX)).some((n) => n.toLowerCase() === name.toLowerCase());
      } catch {
        throw unavailable(store, `creating the group ${name}`, e);
      }
      if (!answerLost(e)) {
        if (there) return 'exists';
        throw unavailable(store, `creating the group ${name}`, e);
      }
      if (there) return 'there after a lost answer';
      if (attempt >= CREATE_ATTEMPTS) throw unavailable(store, `creating the group ${name}`, e);
      await sleep(1000 * attempt);
    }
  }
}

/**
 * Takes the generation observed as next, right before the first change. Throws LeaseHeld when another apply
 * took the lease since the observation (this apply's reading may be stale), LeaseUnavailable when the instance
 * will not record it.
 */
export async function takeLease(seen: LeaseObservation, o: LeaseOptions): Promise<Lease> {
  const { store, next: g } = seen;
  const me = o.holder ?? thisHolder();
  const ttl = o.ttlMs ?? DEFAULT_LEASE_TTL_MS;
  const sleep = o.sleep ?? ((ms: number) => delay(ms));
  const mutex = `${LEASE_PREFIX}${g}`;
  const taken = await createMarker(store, mutex, sleep);
  if (taken === 'exists')
    throw new LeaseHeld(
      `another apply took the lease on this instance (${mutex}) while this one was reading it, so what this one planned may be out of date. Nothing was changed; apply again`,
    );
  if (taken === 'there after a lost answer')
    throw new LeaseHeld(
      `the instance's answer to creating ${mutex} was lost, and ${mutex} exists: this apply cannot tell whether it or another apply took the lease. Nothing was changed; apply again (a lease without its holder's record is free after a few seconds)`,
    );
  let until = o.clock().getTime() + ttl;
  let beat = beatName(g, until, me);
  try {
    // The holder record's name is this process's own: if it exists, this apply created it.
    await createMarker(store, beat, sleep);
  } catch (e) {
    await store.create(`${mutex}-released`).catch(() => undefined);
    throw e;
  }
  // Older generations go (released, expired, or of a crashed holder); a failure to clean up is harmless.
  for (const n of seen.old) await store.remove(n).catch(() => undefined);
  return makeLease(store, {
    g,
    mutex,
    me,
    ttl,
    clock: o.clock,
    beat: () => beat,
    until: () => until,
    moved: (b, u) => {
      beat = b;
      until = u;
    },
  });
}

function makeLease(
  store: LeaseStore,
  s: {
    g: number;
    mutex: string;
    me: LeaseHolder;
    ttl: number;
    clock: () => Date;
    beat: () => string;
    until: () => number;
    moved: (beat: string, until: number) => void;
  },
): Lease {
  let lost: string | null = null;
  let timer: NodeJS.Timeout | null = null;
  let released = false;
  const renew = async (): Promise<void> => {
    if (lost || released) return;
    try {
      const newer = readGenerations(await store.list(LEASE_PREFIX)).find((x) => x.g > s.g && x.mutex);
      if (newer) {
        lost = `the lease on this instance was taken over (${newer.mutex}) after it expired`;
        return;
      }
      const until = s.clock().getTime() + s.ttl;
      const next = beatName(s.g, until, s.me);
      if (next === s.beat()) return;
      await store.create(next);
      const old = s.beat();
      s.moved(next, until);
      await store.remove(old).catch(() => undefined);
    } catch (e) {
      // Not lost yet: the lease holds until it expires, and the next renewal may get through.
      if (s.until() <= s.clock().getTime())
        lost = `the lease on this instance expired and could not be renewed (${e instanceof Error ? e.message : String(e)})`;
    }
  };
  return {
    name: s.mutex,
    get until() {
      return new Date(s.until());
    },
    lost: () => lost,
    renew,
    keepAlive() {
      if (timer) return;
      timer = setInterval(() => void renew(), Math.max(1000, Math.floor(s.ttl / 3)));
      timer.unref();
    },
    async release() {
      released = true;
      if (timer) clearInterval(timer);
      timer = null;
      // The generation stays taken (so an apply that read before this one refuses), marked released.
      if (!lost) await store.create(`${s.mutex}-released`).catch(() => undefined);
      await store.remove(s.beat()).catch(() => undefined);
    },
  };
}
