// The JSON Schema of policy v1, generated from the zod schema (for editors via yaml-language-server).
import { z } from 'zod';
import { policySchema } from './schema.ts';

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
