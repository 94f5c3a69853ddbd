#!/usr/bin/env node
// The `aup` command: runs the committed bundle (dist/cli), so it works right after `npm ci`, or after installing
// the package, without a build. Node.js 24 or newer, as package.json's engines say (the bundle is built and tested
// on 24 only).
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(
    `aup needs Node.js 24 or newer; this is ${process.version}. Install Node.js 24 (https://nodejs.org/), ` +
      'or, in a clone of the aup repository, run `npx aup` (npm ci installs Node 24 there and npx puts it first on PATH).\n',
  );
  process.exit(1);
}
await import('../dist/cli/index.js');
