// The Jira client as the browser bundle gets it: esbuild.js puts this module where the features import
// src/node/jira.ts (core's client over Node's transport, which a browser's worker cannot run). The same names,
// over `fetch` (src/web/fetchTransport.ts), with the same rules: core's client decides which origin receives a
// credential. One verdict is the browser's own: a site that does not allow this page's origin (CORS) cannot be
// checked from here, and the user is told where it can.
import * as core from '../core/jira';
import type { CheckResult, Credential } from '../core/connections/connection';
import { FetchErrors, openFetchTransport } from './fetchTransport';

export * from '../core/jira';

type Browser<T extends { transport: unknown }> = Omit<T, 'transport'> & Partial<Pick<T, 'transport'>>;

/** A transport that remembers whether the browser withheld an answer (CORS). */
function watchedTransport(): { transport: core.OpenTransport; corsBlocked: () => boolean } {
  let blocked = false;
  const transport: core.OpenTransport = (options) => {
    const inner = openFetchTransport(options);
    return {
      send: (request) =>
        inner.send(request).catch((error: unknown) => {
          if (error instanceof core.TransportError && error.code === FetchErrors.corsBlocked) blocked = true;
          throw error;
        }),
      close: () => inner.close(),
    };
  };
  return { transport, corsBlocked: () => blocked };
}

/** The site's unreachable verdict, told as what it is when the browser withheld the answer. */
function corsVerdict(credential: Credential, result: CheckResult): CheckResult {
  const origin = new URL(credential.baseUrl).origin;
  return {
    ...result,
    message: `The browser withheld ${origin}'s answer: the site does not allow requests from this page (CORS), so the token cannot be checked from the browser.`,
    hint: 'Check it from desktop VS Code or the command line (jira-token-guard check); a Jira Data Center administrator can allow this origin.',
  };
}

export async function checkCredential(
  credential: Credential,
  token: string,
  options: Browser<core.CheckOptions> = {},
): Promise<CheckResult> {
  const watched = watchedTransport();
  const result = await core.checkCredential(credential, token, { ...options, transport: options.transport ?? watched.transport });
  return result.status === 'unreachable' && watched.corsBlocked() ? corsVerdict(credential, result) : result;
}

export function fetchCloudId(siteUrl: string, options: Browser<core.CheckOptions> = {}): Promise<string | undefined> {
  return core.fetchCloudId(siteUrl, { ...options, transport: options.transport ?? openFetchTransport });
}

export async function checkAll(
  items: Array<{ connection: Credential & { id: string }; token: string }>,
  options: Browser<core.CheckAllOptions> = {},
): Promise<Map<string, CheckResult>> {
  const { onResult, concurrency, ...checkOptions } = options;
  const results = new Map<string, CheckResult>();
  const limit = Math.max(1, Math.floor(concurrency ?? core.DEFAULT_CONCURRENCY));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !options.signal?.aborted) {
      const { connection, token } = items[next++];
      const result = await checkCredential(connection, token, checkOptions);
      results.set(connection.id, result);
      onResult?.(connection.id, result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export class PatApi extends core.PatApi {
  constructor(baseUrl: string, options: Browser<core.PatApiOptions> = {}) {
    super(baseUrl, { ...options, transport: options.transport ?? openFetchTransport });
  }
}

export class OrgAdminApi extends core.OrgAdminApi {
  constructor(options: Browser<core.OrgAdminOptions> = {}) {
    super({ ...options, transport: options.transport ?? openFetchTransport });
  }
}
