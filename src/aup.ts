// Entry of the `aup` binary (bundled to dist/cli/index.js; run from source by npm scripts).
import { main } from './cli.ts';
import { askOnTerminal } from './commands/ask.ts';
import { describeUnexpected } from './commands/failure.ts';
import type { Io } from './commands/plan.ts';

const debug = process.env.AUP_DEBUG === '1';
const fatal = (e: unknown): void => {
  process.stderr.write(`${describeUnexpected(e, debug)}\n`);
  process.exit(1);
};
process.on('uncaughtException', fatal);
process.on('unhandledRejection', fatal);
// A reader that stops early (`aup list | head`) closes the pipe: stop quietly, as other tools do.
process.stdout.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' ? process.exit(0) : fatal(e)));

const io: Io = {
  out: (t) => process.stdout.write(`${t}\n`),
  err: (t) => process.stderr.write(`${t}\n`),
  color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
  ask: askOnTerminal,
  columns: process.stdout.isTTY ? process.stdout.columns : undefined,
  progress: {
    write: (t) => process.stderr.write(t),
    tty: Boolean(process.stderr.isTTY),
    columns: process.stderr.columns,
  },
};

process.exitCode = await main(process.argv.slice(2), io).catch((e: unknown) => {
  process.stderr.write(`${describeUnexpected(e, debug)}\n`);
  return 1;
});
