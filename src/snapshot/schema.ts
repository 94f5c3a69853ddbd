// The snapshot file format (formatVersion 1): validated on load, since it is input like any other.
import { z } from 'zod';
import { PLATFORMS, type Snapshot } from '../model.ts';

const iso = z.iso.datetime({ offset: true });

export const snapshotSchema = z.strictObject({
  formatVersion: z.literal(1),
  platform: z.enum(PLATFORMS),
  instance: z.string().min(1),
  takenAt: iso,
  self: z.string().nullable().optional(),
  adminGroups: z.array(z.string()).optional(),
  users: z.array(
    z.strictObject({
      id: z.string().min(1),
      name: z.string().min(1),
      email: z.string().nullable(),
      displayName: z.string(),
      active: z.boolean(),
      lastActive: iso.nullable(),
      activityKnown: z.boolean(),
      created: iso.nullable(),
      directory: z.strictObject({ id: z.string(), name: z.string(), readOnly: z.boolean() }),
      groups: z.array(z.string()),
    }),
  ),
  groups: z.array(z.strictObject({ name: z.string().min(1), readOnly: z.boolean() })),
}) satisfies z.ZodType<Snapshot>;
