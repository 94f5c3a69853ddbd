// Regenerates schema/policy.v1.json and schema/policy-fragment.v1.json from the zod schemas. A test fails when a
// committed file is stale.
import { writeFile } from 'node:fs/promises';
import { fragmentJsonSchema, policyJsonSchema } from '../src/policy/json-schema.ts';

await writeFile(new URL('../schema/policy.v1.json', import.meta.url), policyJsonSchema());
await writeFile(new URL('../schema/policy-fragment.v1.json', import.meta.url), fragmentJsonSchema());
console.log('wrote schema/policy.v1.json and schema/policy-fragment.v1.json');
