// ncc's ESM output reaches CJS dependencies through createRequire; every such target must be a Node builtin,
// or the bundle fails at run time (ncc#1163). Exits 1 naming any other module.
import { readFileSync, readdirSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';

const bad = [];
for (const dir of ['dist', 'dist/cli']) {
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.js'))) {
    const text = readFileSync(path.join(dir, f), 'utf8');
    for (const m of text.matchAll(/createRequire\(import\.meta\.url\)\("([^"]*)"\)/g)) {
      if (!isBuiltin(m[1])) bad.push(`${dir}/${f}: ${m[1]}`);
    }
  }
}
if (bad.length) {
  console.error(`the bundle requires non-builtin modules at run time:\n${bad.join('\n')}`);
  process.exit(1);
}
console.log('bundle requires only Node builtins at run time');
