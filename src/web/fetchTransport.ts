// The browser's transport for core's Jira client: `fetch`, with no redirect followed, no cookie and no referrer.
// A browser does not say why a request failed ("Failed to fetch" for a refused connection and for a site that
// does not allow this page's origin alike), so after a failure one bare request (`no-cors`: no header, no
// credential, answer unreadable) finds out whether the site answered at all: if it did, the browser withheld
// the answer (CORS), which deserves its own verdict rather than "unreachable".
import { type OpenTransport, type Transport, type TransportAnswer, type TransportRequest, TransportError } from '../core/jira';

/** TransportError codes of this transport. */
export const FetchErrors = {
  /** The site answered, but not to this page's origin (no Access-Control-Allow-Origin for it). */
  corsBlocked: 'ERR_BROWSER_CORS',
  /** No answer at all: host unknown, connection refused, TLS refused; the browser does not say which. */
  network: 'ERR_BROWSER_NETWORK',
  /** A redirect, which the browser hides from the page (its target is unknown). */
  redirect: 'ERR_BROWSER_REDIRECT',
} as const;

export const openFetchTransport: OpenTransport = () => {
  const closed = new AbortController();
  const transport: Transport = {
    send: (request) => send(request, closed.signal),
    close: () => closed.abort(),
  };
  return transport;
};

async function send(request: TransportRequest, closed: AbortSignal): Promise<TransportAnswer> {
  const signal = eitherSignal(request.signal, closed);
  const started = Date.now();
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
      signal,
    });
  } catch (error) {
    if (signal.aborted) {
      const late = Date.now() - started >= request.timeoutMs;
      throw late
        ? new TransportError('timeout', 'ETIMEDOUT', 'No answer before the deadline.')
        : new TransportError('cancelled', 'ERR_CANCELED', 'The check was cancelled.');
    }
    if (await answersWithoutCors(request.url, signal)) {
      throw new TransportError(
        'network',
        FetchErrors.corsBlocked,
        "The browser withheld the site's answer: the site does not allow this page's origin (CORS).",
      );
    }
    throw new TransportError(
      'network',
      FetchErrors.network,
      `The browser could not reach the site (${String((error as Error)?.message ?? error)}).`,
    );
  }
  if (response.type === 'opaqueredirect') {
    throw new TransportError('network', FetchErrors.redirect, 'The site answered with a redirect, which the browser does not show.');
  }
  const body = await response.text();
  if (body.length > request.maxAnswerBytes) throw new TransportError('too-large', 'ERR_TOO_LARGE', 'The answer was too large.');
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name.toLowerCase()] = value));
  return { status: response.status, headers, body };
}

/** Whether the site answers a bare request (no header, no credential): an opaque answer means it is there. */
async function answersWithoutCors(url: string, signal: AbortSignal): Promise<boolean> {
  try {
    await fetch(url, { method: 'GET', mode: 'no-cors', credentials: 'omit', referrerPolicy: 'no-referrer', signal });
    return true;
  } catch {
    return false;
  }
}

function eitherSignal(a: AbortSignal, b: AbortSignal): AbortSignal {
  const both = new AbortController();
  const abort = () => both.abort();
  if (a.aborted || b.aborted) abort();
  a.addEventListener('abort', abort, { once: true });
  b.addEventListener('abort', abort, { once: true });
  return both.signal;
}
