// What a platform can do, per change kind, as data: the operation it performs ("disable user") or the
// platform's reason it cannot (shown in the plan as `skipped: unsupported`, never silently dropped). Owned
// by the model, declared by each driver, read by the planner — which never names a platform.
import { CHANGE_KINDS, type ChangeKind } from './kinds.ts';

export type Capability =
  | {
      supported: true;
      /** The platform operation, e.g. "disable user", "PUT user active=false". */ operation: string;
    }
  | { supported: false; /** Why the platform cannot, shown in the plan. */ reason: string };

export type Capabilities = Record<ChangeKind, Capability>;

/** Builds a full table: every kind named in `operations` is supported, every other one unsupported. */
export function capabilityTable(
  operations: Partial<Record<ChangeKind, string>>,
  unsupported: Partial<Record<ChangeKind, string>> = {},
): Capabilities {
  return Object.fromEntries(
    CHANGE_KINDS.map((k): [ChangeKind, Capability] => {
      const op = operations[k];
      if (op !== undefined) return [k, { supported: true, operation: op }];
      return [k, { supported: false, reason: unsupported[k] ?? 'the platform has no API for this change' }];
    }),
  ) as Capabilities;
}

/** Every kind supported, with generic operation names: planning a snapshot whose platform is not known. */
export const GENERIC_CAPABILITIES: Capabilities = capabilityTable({
  'create-user': 'create user',
  activate: 'activate user',
  'add-member': 'add to group',
  'remove-member': 'remove from group',
  'remove-access': 'leave the access groups',
  deactivate: 'deactivate user',
  delete: 'delete user',
});

export function unsupportedReason(caps: Capabilities, kind: ChangeKind): string | null {
  const c = caps[kind];
  return c.supported ? null : c.reason;
}

export function operationOf(caps: Capabilities, kind: ChangeKind): string | null {
  const c = caps[kind];
  return c.supported ? c.operation : null;
}
