// The Atlassian sandbox: a Jira Data Center emulator over real HTTP, for tests, the demo and benchmarks.
export { startSandbox, type RecordedRequest, type SandboxHandle, type SandboxOptions } from './server.ts';
export { SandboxStore } from './store.ts';
export type { ApplicationRoleRecord, DirectoryRecord, GroupRecord, UserRecord } from './records.ts';
export { ADMIN_GROUP, INTERNAL_DIRECTORY_ID, SOFTWARE_GROUP } from './records.ts';
export type { Credentials } from './auth.ts';
export type { FailNextOptions, FaultOptions, FaultStatus, RateLimitOptions } from './knobs.ts';
export { loadScenarioFile, storeToScenario } from './scenario.ts';
export type {
  Scenario,
  ScenarioApplicationRole,
  ScenarioDirectory,
  ScenarioGroup,
  ScenarioUser,
} from './scenario.ts';
export {
  demoScenario,
  generateScenario,
  LDAP_DIRECTORY_ID,
  LDAP_DIRECTORY_NAME,
  LDAP_GROUP,
  type GeneratorOptions,
} from './seed.ts';
export { mulberry32 } from './prng.ts';
export { JIRA_VERSIONS, isJiraVersion, type JiraVersion } from './versions.ts';
export { runSandboxCommand, type SandboxCommandOptions } from './command.ts';
