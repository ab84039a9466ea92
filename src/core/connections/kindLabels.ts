// What each connection kind is called, in one table: the tree, the Add Connection choice, the audit report
// and the check's messages all read it, so a kind has the same name everywhere.
import { type ConnectionKind } from './connection';

export interface KindLabels {
  /** The kind's name wherever one is shown on its own: the tree, tooltips, a check's hint. */
  label: string;
  /** Compact, for a table column (the audit report). */
  short: string;
  /** The secret itself, as a noun in a sentence: "Jira refused the …". */
  credential: string;
  /** The Add Connection choice: what to pick, what it takes, and (default: `label`) a line under it. */
  choice: { label: string; description: string; detail?: string };
}

export const KIND_LABELS: Readonly<Record<ConnectionKind, KindLabels>> = {
  cloud: {
    label: 'Jira Cloud API token',
    short: 'Cloud API token (unscoped)',
    credential: 'API token',
    choice: { label: 'Jira Cloud', description: 'email + API token' },
  },
  'cloud-scoped': {
    label: 'Jira Cloud scoped API token',
    short: 'Cloud scoped API token',
    credential: 'scoped API token',
    choice: { label: 'Jira Cloud, scoped token', description: 'email + API token with scopes (through api.atlassian.com)' },
  },
  'datacenter-pat': {
    label: 'Data Center Personal Access Token',
    short: 'Data Center PAT',
    credential: 'personal access token',
    choice: { label: 'Jira Data Center / Server', description: 'Personal Access Token (Bearer)' },
  },
  'datacenter-basic': {
    label: 'Data Center user name and password (discouraged)',
    short: 'Data Center password',
    credential: 'password',
    choice: {
      label: 'Jira Data Center / Server, password',
      description: 'user name + password (discouraged)',
      detail: 'Use only where Personal Access Tokens are not available.',
    },
  },
};
