// The Jira client as the browser bundle gets it (esbuild.js puts this module where the features import
// src/node/jira.ts, core's client over Node's transport, which a browser's worker cannot run). Until a transport
// over `fetch` exists, a check ends in a verdict that says so (Add Connection then offers Save Anyway, as for
// a site it cannot reach), and what needs the PAT API says why when it is used. No request leaves the browser.
import type * as JiraClient from '../core/jira';
import type { CheckResult, Credential } from '../core/connections/connection';
import { UserFacingError } from '../common/userFacingError';

export const NOT_IN_BROWSER =
  'Jira Token Guard does not check tokens from the browser yet: check from desktop VS Code or the command line (jira-token-guard check).';

export function checkCredential(_credential: Credential, _token: string): Promise<CheckResult> {
  return Promise.resolve({
    status: 'unreachable',
    message: NOT_IN_BROWSER,
    hint: 'Nothing was sent to the site.',
    durationMs: 0,
  });
}

export async function checkAll(
  items: Array<{ connection: Credential & { id: string }; token: string }>,
  options: Partial<JiraClient.CheckAllOptions> = {},
): Promise<Map<string, CheckResult>> {
  const results = new Map<string, CheckResult>();
  for (const { connection, token } of items) {
    const result = await checkCredential(connection, token);
    results.set(connection.id, result);
    options.onResult?.(connection.id, result);
  }
  return results;
}

/** Listing and revoking PATs (Revoke, Revoke Exactly, the account's tokens in the tree). */
export class PatApi {
  constructor(..._args: unknown[]) {
    throw new UserFacingError(`${NOT_IN_BROWSER.replace('check tokens', 'reach the PAT API')}`);
  }
}

// The substitution is checked here, not by the bundler: these must stay callable as core's are.
checkCredential satisfies (credential: Credential, token: string, options?: Partial<JiraClient.CheckOptions>) => Promise<CheckResult>;
