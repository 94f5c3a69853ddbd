// The snapshot file format: validated on load, since it is input like any other. Format 2 (the
// platform-ready core) adds optional fields; a format-1 file is read with their documented defaults:
// no per-product activity, access through the policy's access_groups, no read-only marks, admin sets from
// adminGroups, directories from the users, capabilities from the platform's driver.
import { z } from 'zod';
import { CHANGE_KINDS, PLATFORMS, type Snapshot } from '../model.ts';

const iso = z.iso.datetime({ offset: true });
const capability = z.union([
  z.strictObject({ supported: z.literal(true), operation: z.string() }),
  z.strictObject({ supported: z.literal(false), reason: z.string() }),
]);

export const snapshotSchema = z.strictObject({
  formatVersion: z.union([z.literal(1), z.literal(2)]),
  platform: z.enum(PLATFORMS),
  instance: z.string().min(1),
  version: z.string().optional(),
  takenAt: iso,
  self: z.string().nullable().optional(),
  adminGroups: z.array(z.string()).optional(),
  admins: z
    .array(z.strictObject({ label: z.string(), group: z.string().nullable(), members: z.array(z.string()) }))
    .optional(),
  allGroups: z.array(z.string()).optional(),
  groupCount: z.number().int().nonnegative().optional(),
  directories: z.array(z.string()).nullable().optional(),
  capabilities: z.record(z.enum(CHANGE_KINDS), capability).optional(),
  activity: z
    .strictObject({
      source: z.string(),
      available: z.boolean(),
      detail: z.string().optional(),
      remedy: z.string().optional(),
    })
    .optional(),
  users: z.array(
    z.strictObject({
      id: z.string().min(1),
      name: z.string().min(1),
      aliases: z.array(z.string().min(1)).optional(),
      email: z.string().nullable(),
      displayName: z.string(),
      active: z.boolean(),
      lastActive: iso.nullable(),
      activityKnown: z.boolean(),
      products: z.array(z.strictObject({ product: z.string(), lastActive: iso.nullable() })).optional(),
      created: iso.nullable(),
      directory: z.strictObject({ id: z.string(), name: z.string(), readOnly: z.boolean() }),
      groups: z.array(z.string()),
      access: z.strictObject({ groups: z.array(z.string()), direct: z.array(z.string()) }).optional(),
      readOnly: z
        .array(
          z.strictObject({
            kinds: z.array(z.enum(CHANGE_KINDS)),
            groups: z.array(z.string()).optional(),
            reason: z.string(),
          }),
        )
        .optional(),
      notes: z.array(z.strictObject({ kinds: z.array(z.enum(CHANGE_KINDS)), text: z.string() })).optional(),
      service: z.boolean().optional(),
    }),
  ),
  groups: z.array(
    z.strictObject({
      name: z.string().min(1),
      readOnly: z.boolean(),
      readOnlyReason: z.string().optional(),
      grants: z.array(z.string()).optional(),
    }),
  ),
}) satisfies z.ZodType<Snapshot>;
