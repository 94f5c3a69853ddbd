// `aup list` against the policy's instance: one snapshot (live, read-only, with the groups the filters name read
// too, or a snapshot file), filtered and printed by list.ts.
import { loadPolicy } from '../policy/load.ts';
import { readOneSnapshot, type LiveArgs } from './connection.ts';
import { type ListFilters, type ListFormat, filterProblems, listUsers } from './list.ts';
import { CliError, type Io } from './plan.ts';

export interface ListArgs extends LiveArgs {
  snapshot?: string;
  filters: ListFilters;
  listFormat: ListFormat;
}

export async function listCommand(args: ListArgs, io: Io): Promise<number> {
  const resolved = await loadPolicy(args.policy);
  const snapshot = await readOneSnapshot(resolved, args, io, { extraGroups: args.filters.groups });
  const problems = filterProblems(snapshot, args.filters);
  if (problems.length > 0) throw new CliError(problems.join('\n'));
  const instance = resolved.policy.instance;
  io.out(
    listUsers(snapshot, {
      now: args.now,
      filters: args.filters,
      format: args.listFormat,
      columns: io.columns,
      products: instance.activity.products,
      accessGroups: instance.access_groups,
    }),
  );
  return 0;
}
