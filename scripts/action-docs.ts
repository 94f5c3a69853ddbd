// The docs' generated parts (`npm run docs`), each from the code it describes; test/docs fails when they drift:
// - README.md: the Action's inputs and outputs tables (action.yml), the CLI's commands (src/commands/spec.ts),
//   the example workflow (examples/atlassian-user-policy.yml, verbatim), a short excerpt of the example comment and
//   the real output of aup list, export, dump and import-check (scripts/example-commands.ts);
// - docs/example-comment.md: the whole example comment (the demo's real plan.md, scripts/example-comment.ts).
import { readFile, writeFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { COMMANDS } from '../src/commands/spec.ts';
import { type CommandExamples, consoleBlock } from './example-commands.ts';
import { isoDay } from '../src/days.ts';

export const README = 'README.md';
/** The README's inline workflow: the shipped example file, verbatim. */
export const EXAMPLE_WORKFLOW = 'examples/atlassian-user-policy.yml';
/** The example comment lives in its own file, which the README links. */
export const EXAMPLE_COMMENT = 'docs/example-comment.md';

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

/** `aup`'s commands as `aup <command> --help` describes them: usage (every option) and what it does. */
export function cliCommandsTable(): string {
  return [
    '| command | what it does |',
    '| --- | --- |',
    ...Object.entries(COMMANDS).map(
      ([name, c]) => `| \`${cell(`aup ${name} ${c.synopsis}`)}\` | ${cell(c.about)} |`,
    ),
  ].join('\n');
}

export function replaceBetween(text: string, name: string, body: string, file = README): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`${file} has no ${start} … ${end} block`);
  return `${text.slice(0, i + start.length)}\n${body}\n${text.slice(j)}`;
}

export function exampleWorkflowBlock(workflowYml: string): string {
  return `\`\`\`yaml\n${workflowYml.trimEnd()}\n\`\`\``;
}

/** The top of the example comment (verdict, counts, seats) up to its first collapsed section, as a quote. */
export function commentExcerpt(comment: string): string {
  const end = comment.indexOf('\n<details>');
  if (end < 0) throw new Error('the example comment has no <details> section to cut the excerpt at');
  return comment
    .slice(0, end)
    .trimEnd()
    .split('\n')
    .map((l) => (l ? `> ${l}` : '>'))
    .join('\n');
}

/** docs/example-comment.md: a short preface, then the comment exactly as the Action posts it. */
export function exampleCommentFile(comment: string, now: Date): string {
  return `# An example plan comment

This is the \`plan.md\` of the demo (\`npm run demo\`: \`policies/example.yml\` against the sandbox's Jira Data
Center demo organisation, planned on ${isoDay(now)}), exactly as the Action posts it as the sticky pull-request
comment and writes it to the job summary. \`npm run docs\` regenerates this file from the code, and a test fails
when it drifts. Back to the [README](../README.md#the-example-comment).

---

${comment.trimEnd()}
`;
}

export interface DocSources {
  actionYml: string;
  workflowYml: string;
  /** The demo's plan.md (scripts/example-comment.ts). */
  comment: string;
  /** What aup list, export, dump and import-check print against the demo (scripts/example-commands.ts). */
  commands: CommandExamples;
}

/** The README with every generated block regenerated. */
export function readmeGenerated(readme: string, s: DocSources): string {
  const t = actionTables(s.actionYml);
  const blocks: [string, string][] = [
    ['inputs', t.inputs],
    ['outputs', t.outputs],
    ['cli-commands', cliCommandsTable()],
    ['example-workflow', exampleWorkflowBlock(s.workflowYml)],
    ['example-comment-excerpt', commentExcerpt(s.comment)],
    ['example-list', consoleBlock(s.commands.list)],
    ['example-export', consoleBlock(s.commands.export)],
    ['example-dump', consoleBlock(s.commands.dump)],
    ['example-import-check', consoleBlock(s.commands.importCheck)],
  ];
  return blocks.reduce((text, [name, body]) => replaceBetween(text, name, body), readme);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { demoComment, EXAMPLE_NOW } = await import('./example-comment.ts');
  const { commandExamples } = await import('./example-commands.ts');
  const comment = await demoComment();
  const sources: DocSources = {
    actionYml: await readFile('action.yml', 'utf8'),
    workflowYml: await readFile(EXAMPLE_WORKFLOW, 'utf8'),
    comment,
    commands: await commandExamples(),
  };
  await writeFile(README, readmeGenerated(await readFile(README, 'utf8'), sources));
  await writeFile(EXAMPLE_COMMENT, exampleCommentFile(comment, EXAMPLE_NOW));
  console.log(
    `${README}: inputs/outputs (action.yml), CLI commands (src/commands/spec.ts), the workflow (${EXAMPLE_WORKFLOW}), the comment excerpt and the outputs of aup list, export, dump and import-check regenerated; ${EXAMPLE_COMMENT}: the example comment (the demo's plan.md) regenerated`,
  );
}
