import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DefaultArtifactClient, GHESNotSupportedError } from '@actions/artifact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ArtifactUploadError, isGhes, uploadArtifact } from '../../src/github/artifacts.ts';
import { startFakeArtifactService } from '../fakes/artifact-service.ts';
import type { FakeArtifactService, FakeArtifactServiceOptions } from '../fakes/artifact-service.ts';
import { readZip } from '../fakes/zip.ts';
import { captureStdout } from './stdout.ts';

let dir: string;
let service: FakeArtifactService | undefined;
const stdout = captureStdout();

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'aup-artifacts-'));
  vi.stubEnv('GITHUB_SERVER_URL', 'https://github.com');
  vi.stubEnv('GITHUB_RETENTION_DAYS', '');
});

afterEach(async () => {
  vi.unstubAllEnvs();
  await service?.close();
  service = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function startService(opts: FakeArtifactServiceOptions = {}): Promise<FakeArtifactService> {
  service = await startFakeArtifactService(opts);
  vi.stubEnv('ACTIONS_RUNTIME_TOKEN', service.env.ACTIONS_RUNTIME_TOKEN);
  vi.stubEnv('ACTIONS_RESULTS_URL', service.env.ACTIONS_RESULTS_URL);
  return service;
}

async function outFiles(): Promise<{ files: string[]; contents: Record<string, string> }> {
  const contents: Record<string, string> = {
    'plan.json': '{"formatVersion":1,"changes":[]}\n',
    'plan.csv': 'kind,user,reason\r\ndeactivate,ädam,"inactive 120 days"\r\n',
    'csv/inventory.csv': 'user,active\r\nalice,true\r\n',
  };
  await mkdir(path.join(dir, 'csv'));
  for (const [name, text] of Object.entries(contents)) await writeFile(path.join(dir, name), text);
  return { files: Object.keys(contents).map((f) => path.join(dir, f)), contents };
}

describe('uploadArtifact through the real @actions/artifact client', () => {
  it('uploads a zip whose entries hold the files, and returns the service id', async () => {
    const fake = await startService();
    const { files, contents } = await outFiles();

    const res = await uploadArtifact({
      name: 'atlassian-user-policy',
      files,
      rootDir: dir,
      retentionDays: 7,
    });

    expect(res.id).toBe(1000);
    const stored = fake.artifacts.get('atlassian-user-policy');
    expect(stored).toMatchObject({ finalized: true, id: 1000, mimeType: 'application/zip' });
    const zip = stored?.body as Buffer;
    expect(zip.subarray(0, 2).toString()).toBe('PK');
    const entries = readZip(zip).filter((e) => !e.name.endsWith('/'));
    expect(entries.map((e) => e.name).sort()).toEqual(['csv/inventory.csv', 'plan.csv', 'plan.json']);
    for (const e of entries) expect(e.data.toString('utf8')).toBe(contents[e.name]);
    // What the client reported at finalize matches the bytes the blob store received.
    expect(stored?.size).toBe(zip.length);
    expect(stored?.hash).toBe(`sha256:${createHash('sha256').update(zip).digest('hex')}`);
    expect(res).toMatchObject({ size: zip.length, digest: createHash('sha256').update(zip).digest('hex') });
    expect(stored?.expiresAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(fake.unhandled).toEqual([]);
  });

  it('sends no expiry when retention is left to the repository default', async () => {
    const fake = await startService();
    const { files } = await outFiles();
    await uploadArtifact({ name: 'no-retention', files, rootDir: dir, retentionDays: null });
    expect(fake.artifacts.get('no-retention')?.expiresAt).toBeNull();
  });

  it('throws ArtifactUploadError naming the artifact when the service refuses', async () => {
    await startService({ failCreate: { status: 400, code: 'invalid_argument', msg: 'quota exceeded' } });
    const { files } = await outFiles();
    const err = await uploadArtifact({ name: 'refused', files, rootDir: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArtifactUploadError);
    expect((err as Error).message).toMatch(/^uploading artifact refused \(3 files\): .*quota exceeded/);
    expect((err as Error).cause).toBeInstanceOf(Error);
  });

  it('fails on a second upload under the same name in one run', async () => {
    await startService();
    const { files } = await outFiles();
    await uploadArtifact({ name: 'twice', files, rootDir: dir });
    await expect(uploadArtifact({ name: 'twice', files, rootDir: dir })).rejects.toThrow(/already exists/);
  });
});

describe('where artifacts are unavailable', () => {
  it('GHES: the real client refuses the host, and the upload degrades to a warning with id null', async () => {
    const fake = await startService();
    const { files } = await outFiles();
    vi.stubEnv('GITHUB_SERVER_URL', 'https://ghes.example.com');

    // The client itself throws GHESNotSupportedError for this host…
    const direct = await new DefaultArtifactClient().uploadArtifact('x', files, dir).catch((e: unknown) => e);
    expect(direct).toBeInstanceOf(GHESNotSupportedError);
    stdout.clear();

    // …and uploadArtifact turns it into { id: null, reason } plus one warning naming out-dir.
    const res = await uploadArtifact({ name: 'atlassian-user-policy', files, rootDir: dir });
    expect(res).toEqual({
      id: null,
      reason: expect.stringMatching(/GitHub Enterprise Server \(https:\/\/ghes\.example\.com\)/),
    });
    expect(stdout.lines().filter((l) => l.startsWith('::warning::'))).toHaveLength(1);
    expect(stdout.text()).toContain(`The files are in ${dir} (output out-dir)`);
    expect(fake.requests).toEqual([]);
  });

  it('GHES: a GHESNotSupportedError thrown by the client is caught too', async () => {
    await startService();
    const { files } = await outFiles();
    vi.stubEnv('GITHUB_SERVER_URL', 'https://ghes.example.com'); // the client sees GHES…
    const env = { ...process.env, GITHUB_SERVER_URL: 'https://github.com' }; // …our pre-check does not
    const res = await uploadArtifact({
      name: 'a',
      files,
      rootDir: dir,
      env,
      client: new DefaultArtifactClient(),
    });
    expect(res).toMatchObject({ id: null, reason: expect.stringContaining('GitHub Enterprise Server') });
  });

  it('outside a workflow run (no runtime token) it warns and returns id null', async () => {
    const { files } = await outFiles();
    const env = { GITHUB_SERVER_URL: 'https://github.com' };
    const res = await uploadArtifact({ name: 'a', files, rootDir: dir, env });
    expect(res).toEqual({
      id: null,
      reason: expect.stringMatching(/^ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL not set/),
    });
  });

  it('isGhes follows the client rule', () => {
    expect(isGhes(undefined)).toBe(false);
    expect(isGhes('https://github.com')).toBe(false);
    expect(isGhes('https://acme.ghe.com')).toBe(false);
    expect(isGhes('http://github.localhost')).toBe(false);
    expect(isGhes('https://git.acme.internal')).toBe(true);
  });
});
