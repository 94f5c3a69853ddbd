// Writes examples/snapshot.json: the demo organisation as `aup export` reads it from the sandbox on 2026-11-25,
// with the sandbox's local URL shown as https://jira.example.com. For trying `aup plan --snapshot` offline.
import { writeFile } from 'node:fs/promises';
import { demoSnapshot } from './example-comment.ts';

const { snapshot } = await demoSnapshot();
await writeFile('examples/snapshot.json', `${JSON.stringify(snapshot, null, 2)}\n`);
console.log(`wrote examples/snapshot.json (${snapshot.users.length} users)`);
