// Kept for existing importers: the generator (generator.ts) and Jira's demo organisation
// (products/jira-dc/demo.ts) under their former module.
export {
  generateScenario,
  LDAP_DIRECTORY_ID,
  LDAP_DIRECTORY_NAME,
  LDAP_GROUP,
  type GeneratorOptions,
} from './generator.ts';
export { demoScenario } from './products/jira-dc/demo.ts';
