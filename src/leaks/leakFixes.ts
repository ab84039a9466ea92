// What the leak quick fixes and the commands behind them share: the place a fix acts on, and which
// findings can be checked live. Its own file so neither side imports the other (command ids: Commands).
import type { RuleId } from '../core/scanner';

/** Rules whose token Jira can be asked about (not Bitbucket's: app passwords no longer authenticate at all). */
export const CHECKABLE_RULES: ReadonlySet<RuleId> = new Set<RuleId>([
  'atlassian-api-token',
  'atlassian-access-token',
  'atlassian-api-token-legacy',
  'jira-dc-pat',
  'jira-basic-auth-header',
  'atlassian-url-credentials',
  'mcp-config-credential',
  'known-stored-token',
]);

export interface LeakLocation {
  uri: string;
  start: number;
  end: number;
}
