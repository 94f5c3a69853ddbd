// Crowd's user entity as the driver reads it, and the few conversions every part needs.
import { HttpError } from '../../http/index.ts';

export const UM = '/rest/usermanagement/1';

export interface CrowdUser {
  name: string;
  /** "<directory id>:<external id>"; absent for users without an external id. */
  key?: string;
  'first-name'?: string;
  'last-name'?: string;
  'display-name'?: string;
  email?: string;
  active: boolean;
  /** Epoch ms in JSON (Jackson's default for java.util.Date); an ISO string is accepted too. */
  'created-date'?: number | string;
  attributes?: { attributes?: { name: string; values: string[] }[] };
}

/** The platform id of a Crowd user: its key when it has one, else its username. */
export const userId = (u: Pick<CrowdUser, 'key' | 'name'>): string => u.key || u.name;

export function isoOf(v: number | string | undefined | null): string | null {
  if (v === undefined || v === null || v === '') return null;
  const ms = typeof v === 'number' ? v : /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

/**
 * A user's activity from its attributes (search or GET /user, expand=attributes): the later of lastAuthenticated and
 * lastActive (epoch ms); neither = never authenticated through Crowd. An entity without an attribute list
 * (not expanded) says nothing: unknown, never "never".
 */
export function activityOf(u: CrowdUser): { known: boolean; lastActive: string | null } {
  const list = u.attributes?.attributes;
  if (!Array.isArray(list)) return { known: false, lastActive: null };
  const times = ['lastAuthenticated', 'lastActive']
    .map((n) => list.find((a) => a.name === n)?.values?.[0])
    .map((v) => (v === undefined ? null : isoOf(v)))
    .filter((v): v is string => v !== null)
    .sort();
  return { known: true, lastActive: times.at(-1) ?? null };
}

/** The whole user for PUT /user: Crowd replaces the user with the body, so nothing may be left out. */
export function wholeUser(u: CrowdUser, active: boolean) {
  return {
    name: u.name,
    'first-name': u['first-name'] ?? '',
    'last-name': u['last-name'] ?? '',
    'display-name': u['display-name'] ?? '',
    email: u.email ?? '',
    active,
  };
}

/** Crowd answered XML although JSON was asked for: say so instead of "not JSON". */
export function explainXml(e: unknown): unknown {
  if (e instanceof HttpError && /expected a JSON body, got .*xml/i.test(e.detail ?? ''))
    return new Error(
      `${e.message}: Crowd answers XML unless asked for JSON; the request asked for JSON (Accept: application/json), so something between (a proxy) dropped the Accept header`,
      { cause: e },
    );
  return e;
}
