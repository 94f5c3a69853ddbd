// `aup export`: reads the instance (read-only, the members of every group) and streams inventory.csv, groups.csv
// and snapshot.json to --out.
import { writeExportFiles } from '../app/export-files.ts';
import { loadPolicy } from '../policy/load.ts';
import { type LiveArgs, requestsLine, withConnection } from './connection.ts';
import { exportedLine } from './export-line.ts';
import type { Io } from './plan.ts';

export async function exportCommand(args: LiveArgs, io: Io): Promise<number> {
  const resolved = await loadPolicy(args.policy);
  const outDir = args.outDir ?? 'out';
  return withConnection(
    resolved,
    args,
    true,
    io,
    async (conn, progress) => {
      const snapshot = await conn.adapter.snapshot();
      progress.stop();
      const files = await writeExportFiles(outDir, snapshot, resolved.policy, args.now);
      io.out(exportedLine(snapshot, files));
      io.err(requestsLine(conn));
      return 0;
    },
    { allGroups: true },
  );
}
