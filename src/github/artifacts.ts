// Uploads the run's files (plan.json, CSVs, audit) as one workflow artifact with the real
// @actions/artifact client. Where artifacts cannot exist (GHES, outside a workflow run) it warns and
// returns `id: null` with the reason, so the caller can point users at `out-dir` instead.
import path from 'node:path';
import * as core from '@actions/core';
import { DefaultArtifactClient, GHESNotSupportedError } from '@actions/artifact';
import type { ArtifactClient, UploadArtifactOptions, UploadArtifactResponse } from '@actions/artifact';
import { plural } from '../plural.ts';
import { logInfo } from './log.ts';

export interface UploadArgs {
  name: string;
  /** Absolute paths (or relative to rootDir), all under rootDir. */
  files: string[];
  /** The directory the zip entry names are relative to (the `out-dir`). */
  rootDir: string;
  /** null/undefined = the repository default; clamped by the client to GITHUB_RETENTION_DAYS. */
  retentionDays?: number | null;
  /** For tests; default a new DefaultArtifactClient. */
  client?: Pick<ArtifactClient, 'uploadArtifact'>;
  env?: NodeJS.ProcessEnv;
}

export type UploadResult =
  { id: number; size: number; digest: string; reason?: undefined } | { id: null; reason: string };

/** Uploading failed where artifacts are supported; `cause` is the client's error. */
export class ArtifactUploadError extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'ArtifactUploadError';
  }
}

/**
 * Uploads `files` as the zipped artifact `name`. Returns its id, or `{ id: null, reason }` (with a
 * warning) on GHES and when the runner gave the step no artifact runtime (local runs, act).
 * Throws ArtifactUploadError for real failures, naming the artifact.
 */
export async function uploadArtifact(args: UploadArgs): Promise<UploadResult> {
  const env = args.env ?? process.env;
  const rootDir = path.resolve(args.rootDir);
  const files = args.files.map((f) => path.resolve(rootDir, f));
  const unavailable = unavailableReason(env);
  if (unavailable) return skip(args.name, rootDir, unavailable);

  const options: UploadArtifactOptions = {};
  if (args.retentionDays) options.retentionDays = args.retentionDays;
  const client = args.client ?? new DefaultArtifactClient();
  let res: UploadArtifactResponse;
  try {
    res = await client.uploadArtifact(args.name, files, rootDir, options);
  } catch (err) {
    if (isGhesError(err)) return skip(args.name, rootDir, ghesReason(env));
    throw new ArtifactUploadError(
      `uploading artifact ${args.name} (${plural(files.length, 'file')}): ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  if (typeof res.id !== 'number') {
    throw new ArtifactUploadError(`uploading artifact ${args.name}: the service returned no artifact id`, {
      cause: res,
    });
  }
  logInfo(
    `uploaded artifact ${args.name} (id ${res.id}, ${plural(res.size ?? 0, 'byte')}, ${plural(files.length, 'file')})`,
  );
  return { id: res.id, size: res.size ?? 0, digest: res.digest ?? '' };
}

/**
 * Same host rule as @actions/artifact (github.com, *.ghe.com, *.localhost are not GHES). Checked
 * first so GHES users get one clear warning instead of the client's "errors can be temporary" one.
 */
export function isGhes(serverUrl: string | undefined): boolean {
  let host: string;
  try {
    host = new URL(serverUrl || 'https://github.com').hostname.toLowerCase();
  } catch {
    return false;
  }
  return host !== 'github.com' && !host.endsWith('.ghe.com') && !host.endsWith('.localhost');
}

function unavailableReason(env: NodeJS.ProcessEnv): string | null {
  if (isGhes(env.GITHUB_SERVER_URL)) return ghesReason(env);
  const missing = ['ACTIONS_RUNTIME_TOKEN', 'ACTIONS_RESULTS_URL'].filter((v) => !env[v]);
  if (missing.length > 0) {
    return `${missing.join(' and ')} not set: not running as a step of a GitHub Actions job, so no artifact runtime`;
  }
  return null;
}

function ghesReason(env: NodeJS.ProcessEnv): string {
  return `artifacts are not supported on GitHub Enterprise Server (${env.GITHUB_SERVER_URL ?? 'unknown server'}) by @actions/artifact v2+`;
}

function isGhesError(err: unknown): boolean {
  return err instanceof GHESNotSupportedError || (err as Error | null)?.name === 'GHESNotSupportedError';
}

function skip(name: string, rootDir: string, reason: string): UploadResult {
  core.warning(
    `artifact ${name} was not uploaded: ${reason}. The files are in ${rootDir} (output out-dir); ` +
      'upload them with another step if you need them.',
  );
  return { id: null, reason };
}
