// The terminal prompt of `aup apply` (Io.ask): one question on stdout, one line read from stdin.
import { createInterface } from 'node:readline/promises';

/** The answer typed; '' when the input ends (Ctrl+D) or on Ctrl+C, which both mean "no". */
export async function askOnTerminal(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  let answered = false;
  const closed = new Promise<string>((resolve) =>
    rl.once('close', () => {
      if (!answered) process.stdout.write('\n');
      resolve('');
    }),
  );
  rl.once('SIGINT', () => rl.close());
  const asked = rl.question(question).then(
    (answer) => ((answered = true), answer),
    () => '',
  );
  try {
    return await Promise.race([asked, closed]);
  } finally {
    rl.close();
  }
}
