// `scan --verify`: where each finding's secret may be sent. The scanned files are the repository's, so the
// rule is that a token never goes to a host the repository chose:
// - a Jira Cloud API token only to an https://<site>.atlassian.net named next to it (within a few lines), with
//   an account email named next to it (Cloud checks are Basic email:token), or to Atlassian's gateway for a
//   scoped token (the check decides, from the site's answer);
// - a Data Center PAT only to the hosts the person running the scan gave (--verify-host, or "verifyHosts" in
//   the configuration file, which on pull requests the action reads from the base commit; in the editor, the
//   sites of the user's own Data Center connections, never the workspace's file);
// - anything else is not sent, and says why. Pure: no network here.
import type { Credential } from '../connections/connection';

export interface VerifyTarget {
  credential: Credential;
}

export type VerifyPlan = { send: VerifyTarget[] } | { unknown: string };

/** Lines around a finding where its site and account are looked for. */
export const CONTEXT_LINES = 10;

const SITE = /\bhttps:\/\/([a-z0-9][a-z0-9-]{0,62})\.atlassian\.net(?![a-z0-9.-])/gi;
const ANY_URL = /\bhttps?:\/\/[^\s"'<>`]+/gi;
const EMAIL = /\b[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}\b/g;

/** The lines around a 1-based `line` of `text`. */
export function linesAround(text: string, line: number, radius = CONTEXT_LINES): string {
  const lines = text.split(/\r\n|\r|\n/);
  return lines.slice(Math.max(0, line - 1 - radius), line + radius).join('\n');
}

export function planVerification(ruleId: string, context: string, verifyHosts: readonly string[]): VerifyPlan {
  switch (ruleId) {
    case 'atlassian-api-token':
    case 'atlassian-api-token-legacy': {
      const sites = [...new Set([...context.matchAll(SITE)].map((m) => `https://${m[1].toLowerCase()}.atlassian.net`))];
      if (!sites.length) {
        const other = ANY_URL.test(context);
        ANY_URL.lastIndex = 0;
        return {
          unknown: other
            ? "not sent: a Cloud token is verified only against an https://<site>.atlassian.net site named next to it, and the site named is not Atlassian's"
            : 'not sent: no https://<site>.atlassian.net site is named next to it',
        };
      }
      // Not the userinfo of a URL (https://site@host): an email written as such.
      const emails = [
        ...new Set([...context.replace(ANY_URL, ' ').matchAll(EMAIL)].map((m) => m[0]).filter((e) => !/\.atlassian\.net$/i.test(e))),
      ];
      if (!emails.length) return { unknown: 'not sent: no account email is named next to it (a Cloud check needs email and token)' };
      // At most two sites and two emails: four checks for one token is the most a file can ask for.
      return {
        send: sites
          .slice(0, 2)
          .flatMap((site) => emails.slice(0, 2).map((email) => ({ credential: { kind: 'cloud', baseUrl: site, email } }))),
      };
    }
    case 'jira-dc-pat':
      if (!verifyHosts.length)
        return { unknown: 'not sent: a Data Center PAT is verified only against hosts you name (--verify-host URL or "verifyHosts")' };
      return { send: verifyHosts.map((baseUrl) => ({ credential: { kind: 'datacenter-pat', baseUrl } })) };
    default:
      return { unknown: 'not verifiable: only Jira Cloud API tokens and Data Center PATs are verified' };
  }
}
