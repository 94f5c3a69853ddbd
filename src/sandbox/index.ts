// The Atlassian sandbox: a core (server, auth, knobs, faults, store, scenarios, request recording, page
// caps) and one product module per platform (products/jira-dc, confluence-dc, bitbucket-dc, crowd, cloud), over real HTTP,
// for tests, the demo and benchmarks.
export {
  startSandbox,
  type RecordedRequest,
  type RuntimeKnobs,
  type SandboxHandle,
  type SandboxOptions,
  type SandboxVersion,
} from './server.ts';
export { SandboxStore } from './store.ts';
export type { DirectoryProfile, DirectoryRecord, GroupRecord, UserRecord } from './records.ts';
export { INTERNAL_DIRECTORY_ID } from './records.ts';
export type { Credentials } from './auth.ts';
export type { FailNextOptions, FaultCounts, FaultOptions, FaultStatus, RateLimitOptions } from './knobs.ts';
export { loadScenarioFile, storeToScenario } from './scenario.ts';
export type {
  Scenario,
  ScenarioApplicationRole,
  ScenarioGlobalPermission,
  ScenarioGlobalPermissions,
  ScenarioDirectory,
  ScenarioGroup,
  ScenarioUser,
} from './scenario.ts';
export {
  generateScenario,
  LDAP_DIRECTORY_ID,
  LDAP_DIRECTORY_NAME,
  LDAP_GROUP,
  type GeneratorOptions,
} from './generator.ts';
export { mulberry32 } from './prng.ts';
export { runSandboxCommand, sandboxOptionsFrom, type SandboxCommandOptions } from './command.ts';
export type {
  DeleteTaskOptions,
  PlatformId,
  Product,
  ProductKnobs,
  ProductRuntime,
  Refusal,
} from './product.ts';
export { PLATFORMS, PRODUCTS, isPlatform, productFor } from './products/registry.ts';

// jira-dc
export {
  ADMIN_GROUP,
  SOFTWARE_GROUP,
  JIRA_VERSIONS,
  isJiraVersion,
  demoScenario,
  type ApplicationRoleRecord,
  type JiraVersion,
} from './products/jira-dc/index.ts';

// confluence-dc
export {
  CONFLUENCE_ADMIN_GROUP,
  CONFLUENCE_USERS_GROUP,
  CONFLUENCE_VERSIONS,
  confluenceDemoScenario,
  isConfluenceVersion,
  type ConfluenceVersion,
} from './products/confluence-dc/index.ts';

// crowd
export {
  CROWD_ADMIN_GROUP,
  CROWD_VERSIONS,
  crowdDemoScenario,
  crowdRecords,
  type CrowdRecords,
  type CrowdVersion,
} from './products/crowd/index.ts';

// bitbucket-dc
export {
  BITBUCKET_VERSIONS,
  STASH_USERS_GROUP,
  SYS_ADMINS_GROUP,
  bitbucketDemoScenario,
  bitbucketRecords,
  isBitbucketVersion,
  type BitbucketVersion,
  type GlobalPermission,
} from './products/bitbucket-dc/index.ts';

// cloud
export {
  CLOUD_CONFLUENCE_GROUP,
  CLOUD_JIRA_GROUP,
  CLOUD_ORG_ID,
  CLOUD_VERSIONS,
  ORG_ADMINS_GROUP,
  SITE_ADMINS_GROUP,
  accountIdOf,
  cloudDemoScenario,
  cloudDirectoryId,
  cloudRecords,
  type CloudRecords,
  type CloudVersion,
} from './products/cloud/index.ts';
