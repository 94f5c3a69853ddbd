// The minimal Crowd Query Language the sandbox understands for GET /search?restriction= (Crowd and
// Jira's embedded Crowd): terms `property = value` (value quoted or bare, `*` as a wildcard), joined with
// `and` / `or` (and binds tighter), no parentheses. Properties: name, email, firstName, lastName, displayName, active (users);
// name, active (groups). Matching is case-insensitive, as Crowd's is. Anything else is a 400.

export type Fields = Record<string, string | boolean>;

export class CqlError extends Error {
  override name = 'CqlError';
}

interface Term {
  property: string;
  value: string;
}

const TERM = /^\s*([A-Za-z]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s"]+))\s*$/;

function parseTerm(text: string, properties: readonly string[]): Term {
  const m = TERM.exec(text);
  if (!m) throw new CqlError(`cannot parse restriction term ${JSON.stringify(text.trim())}`);
  const property = m[1]!;
  if (!properties.includes(property))
    throw new CqlError(`unknown property ${property} (known: ${properties.join(', ')})`);
  return { property, value: (m[2] ?? m[3] ?? '').replace(/\\(.)/g, '$1') };
}

function matches(term: Term, fields: Fields): boolean {
  const actual = fields[term.property];
  if (typeof actual === 'boolean') return String(actual) === term.value.toLowerCase();
  const value = (actual ?? '').toLowerCase();
  const pattern = term.value.toLowerCase();
  if (!pattern.includes('*')) return value === pattern;
  const re = new RegExp(`^${pattern.split('*').map(escape).join('.*')}$`);
  return re.test(value);
}

const escape = (s: string): string => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/** A predicate over an entity's fields; an empty restriction matches everything. */
export function compileRestriction(
  restriction: string | null,
  properties: readonly string[],
): (fields: Fields) => boolean {
  const text = (restriction ?? '').trim();
  if (!text) return () => true;
  if (/[()]/.test(text)) throw new CqlError('parentheses are not supported by the sandbox');
  const alternatives = text
    .split(/\s+or\s+/i)
    .map((alt) => alt.split(/\s+and\s+/i).map((t) => parseTerm(t, properties)));
  return (fields) => alternatives.some((all) => all.every((t) => matches(t, fields)));
}

export const USER_PROPERTIES = ['name', 'email', 'firstName', 'lastName', 'displayName', 'active'] as const;
export const GROUP_PROPERTIES = ['name', 'active'] as const;
