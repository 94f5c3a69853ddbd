// Entry of the `aup` binary (bundled to dist/cli/index.js; run from source by npm scripts).
import { main } from './cli.ts';
import type { Io } from './commands/plan.ts';

const io: Io = {
  out: (t) => process.stdout.write(`${t}\n`),
  err: (t) => process.stderr.write(`${t}\n`),
  color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
};

process.exitCode = await main(process.argv.slice(2), io).catch((e: unknown) => {
  process.stderr.write(`aup: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  return 1;
});
