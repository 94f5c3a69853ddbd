#!/usr/bin/env node
// The `aup` command: runs the committed bundle, so it works right after `npm ci` without a build.
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write(
    `aup needs Node.js 22 or newer; this is ${process.version}. Run it as \`npx aup\` inside the project ` +
      '(npm puts the Node 24 it installs first on PATH), or install a newer Node.js.\n',
  );
  process.exit(1);
}
await import('../dist/cli/index.js');
