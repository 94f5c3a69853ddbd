// The README's generated parts (`npm run docs`): the inputs and outputs tables from action.yml, the example comment
// and the example workflow (examples/atlassian-user-policy.yml, verbatim); a test fails when they drift.
import { readFile, writeFile } from 'node:fs/promises';
import { parse } from 'yaml';

interface ActionYml {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
}

const cell = (s: string) => s.replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|');

export function actionTables(actionYml: string): { inputs: string; outputs: string } {
  const a = parse(actionYml) as ActionYml;
  const inputs = [
    '| input | required | default | description |',
    '| --- | --- | --- | --- |',
    ...Object.entries(a.inputs).map(
      ([name, i]) =>
        `| \`${name}\` | ${i.required ? 'yes' : 'no'} | ${i.default ? `\`${cell(i.default)}\`` : ''} | ${cell(i.description)} |`,
    ),
  ].join('\n');
  const outputs = [
    '| output | description |',
    '| --- | --- |',
    ...Object.entries(a.outputs).map(([name, o]) => `| \`${name}\` | ${cell(o.description)} |`),
  ].join('\n');
  return { inputs, outputs };
}

export function replaceBetween(text: string, name: string, body: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`README.md has no ${start} … ${end} block`);
  return `${text.slice(0, i + start.length)}\n${body}\n${text.slice(j)}`;
}

/** The README's inline workflow: the shipped example file, verbatim. */
export const EXAMPLE_WORKFLOW = 'examples/atlassian-user-policy.yml';

export function exampleWorkflowBlock(workflowYml: string): string {
  return `\`\`\`yaml\n${workflowYml.trimEnd()}\n\`\`\``;
}

export function readmeWithTables(readme: string, actionYml: string): string {
  const t = actionTables(actionYml);
  return replaceBetween(replaceBetween(readme, 'inputs', t.inputs), 'outputs', t.outputs);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { demoComment } = await import('./example-comment.ts');
  const readme = readmeWithTables(await readFile('README.md', 'utf8'), await readFile('action.yml', 'utf8'));
  const workflow = exampleWorkflowBlock(await readFile(EXAMPLE_WORKFLOW, 'utf8'));
  const withComment = replaceBetween(readme, 'example-comment', await demoComment());
  await writeFile('README.md', replaceBetween(withComment, 'example-workflow', workflow));
  console.log(
    `README.md: inputs/outputs tables (from action.yml), the example comment (from the demo) and the workflow (${EXAMPLE_WORKFLOW}) regenerated`,
  );
}
