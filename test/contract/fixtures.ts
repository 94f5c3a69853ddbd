// The platforms the contract suite runs: one line each.
import { bitbucketDcFixture } from './bitbucket-dc.ts';
import { cloudFixture } from './cloud.ts';
import { confluenceDcFixture } from './confluence-dc.ts';
import { crowdFixture } from './crowd.ts';
import type { ContractFixture } from './fixture.ts';
import { jiraDcFixture } from './jira-dc.ts';

export const FIXTURES: readonly ContractFixture[] = [
  jiraDcFixture,
  confluenceDcFixture,
  crowdFixture,
  bitbucketDcFixture,
  cloudFixture,
];
