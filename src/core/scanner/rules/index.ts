// Every rule of the scanner, in the order SARIF lists them (a rule's `order` settles overlaps). A new
// rule: its file in this folder, and its line in this list.
import type { Rule } from '../rule';
import { atlassianAccessToken } from './atlassianAccessToken';
import { atlassianApiToken } from './atlassianApiToken';
import { atlassianApiTokenLegacy } from './atlassianApiTokenLegacy';
import { atlassianUrlCredentials } from './atlassianUrlCredentials';
import { bitbucketAppPassword } from './bitbucketAppPassword';
import { bitbucketDcHttpToken } from './bitbucketDcHttpToken';
import { jiraBasicAuthHeader } from './jiraBasicAuthHeader';
import { jiraDcPat } from './jiraDcPat';
import { knownStoredToken } from './knownStoredToken';
import { mcpConfigCredential } from './mcpConfigCredential';

export const RULE_LIST = [
  atlassianApiToken,
  atlassianAccessToken,
  bitbucketAppPassword,
  bitbucketDcHttpToken,
  atlassianApiTokenLegacy,
  jiraDcPat,
  jiraBasicAuthHeader,
  atlassianUrlCredentials,
  mcpConfigCredential,
  knownStoredToken,
] as const;

export type RuleId = (typeof RULE_LIST)[number]['id'];

/** What SARIF and the docs show of a rule. */
export type RuleInfo = Pick<Rule<RuleId>, 'id' | 'title' | 'description' | 'defaultConfidence'>;

export const RULES = Object.fromEntries(RULE_LIST.map((rule) => [rule.id, rule])) as unknown as Readonly<Record<RuleId, RuleInfo>>;
