// Regenerates schema/policy.v1.json from the zod schema. A test fails when the committed file is stale.
import { writeFile } from 'node:fs/promises';
import { policyJsonSchema } from '../src/policy/json-schema.ts';

await writeFile(new URL('../schema/policy.v1.json', import.meta.url), policyJsonSchema());
console.log('wrote schema/policy.v1.json');
