// A workflow file as the runner reads it, for the end-to-end tests of the shipped example workflows: which job
// runs on an event (its `if:`), and what its step of this Action gets — the step's `with:` as INPUT_* (plus the
// defaults of action.yml) and its `env:`, with `${{ … }}` expressions evaluated against the event, the
// repository's secrets and, for a job that names an environment, that environment's secrets.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';

const ROOT = path.join(import.meta.dirname, '../..');
const ACTION = 'atlassian-user-policy/atlassian-user-policy@';

interface Step {
  uses?: string;
  with?: Record<string, string | number | boolean>;
  env?: Record<string, string | number | boolean>;
}

interface Job {
  if?: string;
  environment?: string | { name: string };
  concurrency?: string | { group: string; 'cancel-in-progress'?: boolean };
  strategy?: { 'fail-fast'?: boolean; matrix?: Record<string, unknown> };
  steps: (Step & { id?: string; run?: string })[];
}

export interface Workflow {
  jobs: Record<string, Job>;
}

/** Secrets as GitHub holds them: the repository's, and each environment's. */
export interface Secrets {
  repository: Record<string, string>;
  environments: Record<string, Record<string, string>>;
}

export interface Context {
  eventName: string;
  /** workflow_dispatch inputs. */
  inputs?: Record<string, string>;
  /** The job's GITHUB_TOKEN. */
  token: string;
  secrets: Secrets;
  /** The job's matrix entry (`matrix.*`). */
  matrix?: Record<string, string>;
}

export async function readWorkflow(file: string): Promise<Workflow> {
  return parse(await readFile(path.join(ROOT, file), 'utf8')) as Workflow;
}

type Value = string | boolean;

/** The subset of GitHub's expression language the example workflows use: contexts, literals, == != ! && || (). */
export function evaluate(expr: string, vars: (name: string) => Value): Value {
  const tokens = expr.match(/'(?:[^']|'')*'|==|!=|&&|\|\||[!()]|[\w.-]+/g) ?? [];
  let i = 0;
  const peek = () => tokens[i];
  const next = () => tokens[i++];
  const truthy = (v: Value) => v !== '' && v !== false;
  const primary = (): Value => {
    const t = next();
    if (t === undefined) throw new Error(`expression ${JSON.stringify(expr)} ends early`);
    if (t === '(') {
      const v = or();
      if (next() !== ')') throw new Error(`expression ${JSON.stringify(expr)}: missing )`);
      return v;
    }
    if (t === '!') return !truthy(primary());
    if (t.startsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
    if (t === 'true' || t === 'false') return t === 'true';
    return vars(t);
  };
  const compare = (): Value => {
    const left = primary();
    const op = peek();
    if (op !== '==' && op !== '!=') return left;
    next();
    const right = primary();
    // GitHub compares strings case-insensitively.
    const same = String(left).toLowerCase() === String(right).toLowerCase();
    return op === '==' ? same : !same;
  };
  const and = (): Value => {
    let v = compare();
    while (peek() === '&&') {
      next();
      const r = compare();
      v = truthy(v) ? r : v;
    }
    return v;
  };
  const or = (): Value => {
    let v = and();
    while (peek() === '||') {
      next();
      const r = and();
      v = truthy(v) ? v : r;
    }
    return v;
  };
  const v = or();
  if (i !== tokens.length) throw new Error(`expression ${JSON.stringify(expr)}: unexpected ${peek()}`);
  return v;
}

function environmentOf(job: Job): string | null {
  if (!job.environment) return null;
  return typeof job.environment === 'string' ? job.environment : job.environment.name;
}

/** The variables an expression of `job` sees: secrets of the repository, and of the job's environment only. */
function contextOf(job: Job, ctx: Context): (name: string) => Value {
  const env = environmentOf(job);
  const secrets = { ...ctx.secrets.repository, ...(env ? (ctx.secrets.environments[env] ?? {}) : {}) };
  return (name) => {
    const [root, key = ''] = name.split(/\.(.*)/s);
    if (root === 'secrets') return secrets[key] ?? ''; // a secret that does not exist is empty
    if (root === 'inputs') return ctx.inputs?.[key] ?? '';
    if (root === 'matrix') {
      const v = ctx.matrix?.[key];
      if (v === undefined) throw new Error(`the job has no matrix.${key}`);
      return v;
    }
    if (name === 'github.event_name') return ctx.eventName;
    if (name === 'github.token') return ctx.token;
    throw new Error(`the test does not model ${name}`);
  };
}

/** A string with `${{ … }}` parts replaced by their values. */
function interpolate(text: string, vars: (name: string) => Value): string {
  return text.replace(/\$\{\{(.*?)\}\}/g, (_m, e: string) => {
    const v = evaluate(e.trim(), vars);
    return typeof v === 'boolean' ? String(v) : v;
  });
}

/** Whether the job runs for the event (its `if:`, with or without `${{ }}`). */
export function jobRuns(workflow: Workflow, name: string, ctx: Context): boolean {
  const job = workflow.jobs[name];
  if (!job) throw new Error(`the workflow has no job ${name}`);
  if (job.if === undefined) return true;
  const expr = job.if.trim().replace(/^\$\{\{(.*)\}\}$/s, '$1');
  const v = evaluate(expr, contextOf(job, ctx));
  return v !== '' && v !== false;
}

/**
 * The environment the runner gives the job's step that uses this Action: INPUT_<NAME> for every `with:` entry and
 * every action.yml default the step does not set, and the step's `env:`, all evaluated.
 */
export async function actionStepEnv(
  workflow: Workflow,
  name: string,
  ctx: Context,
): Promise<Record<string, string>> {
  const job = workflow.jobs[name];
  if (!job) throw new Error(`the workflow has no job ${name}`);
  const steps = job.steps.filter((s) => s.uses?.startsWith(ACTION));
  if (steps.length !== 1) throw new Error(`job ${name} has ${steps.length} steps using ${ACTION}…`);
  const step = steps[0]!;
  const vars = contextOf(job, ctx);
  const action = parse(await readFile(path.join(ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>;
  };
  const out: Record<string, string> = {};
  const given = step.with ?? {};
  for (const key of Object.keys(given))
    if (!(key in action.inputs)) throw new Error(`job ${name}: input ${key} is not in action.yml`);
  for (const [key, def] of Object.entries(action.inputs)) {
    const raw = key in given ? String(given[key]) : def.default;
    if (raw !== undefined) out[`INPUT_${key.replace(/ /g, '_').toUpperCase()}`] = interpolate(raw, vars);
  }
  for (const [key, value] of Object.entries(step.env ?? {})) out[key] = interpolate(String(value), vars);
  return out;
}

/** The job's concurrency group, evaluated (null when it has none). */
export function concurrencyGroup(workflow: Workflow, name: string, ctx: Context): string | null {
  const job = workflow.jobs[name];
  if (!job) throw new Error(`the workflow has no job ${name}`);
  const c = job.concurrency;
  if (c === undefined) return null;
  return interpolate(typeof c === 'string' ? c : c.group, contextOf(job, ctx));
}
