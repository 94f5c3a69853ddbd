// The npm package is the CLI: it holds what `aup` needs and nothing else, installs without pulling the libraries
// the bundle already contains, and states one Node.js version everywhere (engines, bin/aup.js, README).
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/spawn.ts';

interface PackJson {
  files: { path: string }[];
}

describe('the npm package', () => {
  it('packs the CLI bundle, bin, schema, README and LICENSE, and no sources, tests or Action bundle', async () => {
    const r = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts']);
    expect(r.code, r.stderr).toBe(0);
    const files = (JSON.parse(r.stdout) as PackJson[])[0]!.files.map((f) => f.path).sort();
    for (const needed of [
      'LICENSE',
      'README.md',
      'bin/aup.js',
      'dist/cli/index.js',
      'dist/cli/package.json',
      'package.json',
      'schema/policy.v1.json',
    ])
      expect(files).toContain(needed);
    expect(
      files.filter((f) => /^(src|test|scripts|bench|policies|examples)\//.test(f) || f === 'dist/index.js'),
    ).toEqual([]);
  });

  it('declares no runtime dependencies: the bundles hold every library they use', async () => {
    const pkg = JSON.parse(await readFile('package.json', 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    expect(pkg.dependencies ?? {}).toEqual({});
  });

  it('needs the same Node.js in package.json engines, bin/aup.js and the README', async () => {
    const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { engines: { node: string } };
    const engines = /^>=(\d+)$/.exec(pkg.engines.node)?.[1];
    expect(engines).toBeDefined();
    const bin = await readFile('bin/aup.js', 'utf8');
    expect(/major < (\d+)\)/.exec(bin)?.[1]).toBe(engines);
    expect(bin).toContain(`aup needs Node.js ${engines} or newer`);
    const readme = await readFile('README.md', 'utf8');
    expect(readme).toContain(`Node.js ${engines} or newer`);
    expect(readme).toContain('npm install --save-dev');
  });
});
