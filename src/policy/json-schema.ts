// The JSON Schema of policy v1, generated from the zod schema (for editors via yaml-language-server).
import { z } from 'zod';
import { fragmentSchema, policySchema } from './schema.ts';

export function policyJsonSchema(): string {
  const schema = z.toJSONSchema(policySchema, {
    io: 'input',
    target: 'draft-2020-12',
    unrepresentable: 'any',
  });
  const doc = {
    ...schema,
    $id: 'https://github.com/atlassian-user-policy/atlassian-user-policy/schema/policy.v1.json',
    title: 'Atlassian User Policy v1',
    description:
      'User lifecycle policy for an Atlassian instance (Jira, Confluence, Bitbucket, Crowd; Cloud and Data Center).',
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** The JSON Schema of a fragment (a file a policy names in `extends`): the keys it may hold, none required. */
export function fragmentJsonSchema(): string {
  const schema = z.toJSONSchema(fragmentSchema, {
    io: 'input',
    target: 'draft-2020-12',
    unrepresentable: 'any',
  });
  const doc = {
    ...schema,
    $id: 'https://github.com/atlassian-user-policy/atlassian-user-policy/schema/policy-fragment.v1.json',
    title: 'Atlassian User Policy v1 fragment',
    description:
      'Common rules merged into every policy that names this file in `extends` (the including policy wins on conflicts).',
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
