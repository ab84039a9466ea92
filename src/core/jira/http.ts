// The only place that talks to axios. One HttpClient serves one credential check: it owns the check's
// deadline, its agents (closed afterwards, so no socket outlives the check) and the rule of which
// origins may receive credentials.
import axios, { AxiosError } from 'axios';
import * as http from 'http';
import * as https from 'https';
import * as tls from 'tls';

export const USER_AGENT = 'jira-token-guard (VS Code extension; credential check)';

/** Answers larger than this cannot be a `myself` or PAT list answer. */
const MAX_ANSWER_BYTES = 2 * 1024 * 1024;

export type ExtraCa = string | Buffer | Array<string | Buffer>;

export interface HttpAnswer {
  url: URL;
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: string;
  durationMs: number;
}

/** Why a request produced no answer. `code` is Node's or axios' error code (e.g. ECONNREFUSED). */
export class TransportError extends Error {
  constructor(
    readonly reason: 'timeout' | 'cancelled' | 'network' | 'too-large',
    readonly code: string | undefined,
    message: string,
    /** The address Node actually connected to: differs from the target when a proxy was in between. */
    readonly remote?: { address?: string; port?: number },
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

export interface HttpClientOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  ca?: ExtraCa;
  /** Origins allowed to receive an Authorization header; anything else is a bug and is refused. */
  credentialOrigins: readonly string[];
}

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

export interface HttpClient {
  get(url: URL, authorization?: string): Promise<HttpAnswer>;
  /** Any method; a `json` body is sent as application/json. */
  request(method: HttpMethod, url: URL, authorization?: string, json?: unknown): Promise<HttpAnswer>;
  close(): void;
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const deadline = Date.now() + options.timeoutMs;
  // Own agents: `ca` must reach the TLS layer, and a kept-alive socket from an earlier check must not be reused.
  const httpAgent = new http.Agent({ keepAlive: true });
  const httpsAgent = new https.Agent({
    keepAlive: true,
    rejectUnauthorized: true,
    ...(options.ca ? { ca: withDefaultRoots(options.ca) } : {}),
  });
  const remainingMs = (): number => deadline - Date.now();

  const client: HttpClient = {
    get(url, authorization) {
      return client.request('GET', url, authorization);
    },
    async request(method, url, authorization, json) {
      if (authorization !== undefined && !options.credentialOrigins.includes(url.origin)) {
        throw new Error('Refusing to send credentials to an origin outside the connection and the gateway.');
      }
      if (options.signal?.aborted) throw new TransportError('cancelled', 'ERR_CANCELED', 'The check was cancelled.');
      const budget = remainingMs();
      if (budget <= 0) throw new TransportError('timeout', 'ETIMEDOUT', 'No time left before the deadline.');
      return send(method, url, authorization, json, budget, { httpAgent, httpsAgent, signal: options.signal });
    },
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
  return client;
}

async function send(
  method: HttpMethod,
  url: URL,
  authorization: string | undefined,
  json: unknown,
  timeoutMs: number,
  context: { httpAgent: http.Agent; httpsAgent: https.Agent; signal?: AbortSignal },
): Promise<HttpAnswer> {
  // axios' `timeout` is a socket idle timer: a server that trickles bytes or stalls mid-handshake can
  // outlive it. The abort timer bounds the whole exchange.
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onCallerAbort = (): void => controller.abort();
  context.signal?.addEventListener('abort', onCallerAbort, { once: true });
  const started = Date.now();
  try {
    const response = await axios.request<string>({
      url: url.href,
      method,
      headers: {
        Accept: 'application/json',
        'User-Agent': USER_AGENT,
        ...(authorization ? { Authorization: authorization } : {}),
        ...(json !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      ...(json !== undefined ? { data: JSON.stringify(json) } : {}),
      adapter: 'http',
      proxy: false, // VS Code patches Node's http/https for proxies; axios must not apply env proxies on top.
      maxRedirects: 0,
      validateStatus: () => true,
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      timeout: timeoutMs,
      signal: controller.signal,
      httpAgent: context.httpAgent,
      httpsAgent: context.httpsAgent,
      maxContentLength: MAX_ANSWER_BYTES,
    });
    return {
      url,
      status: response.status,
      headers: plainHeaders(response.headers),
      body: typeof response.data === 'string' ? response.data : '',
      durationMs: Date.now() - started,
    };
  } catch (error) {
    throw toTransportError(error, timedOut, context.signal?.aborted === true);
  } finally {
    clearTimeout(timer);
    context.signal?.removeEventListener('abort', onCallerAbort);
  }
}

function toTransportError(error: unknown, timedOut: boolean, cancelled: boolean): TransportError {
  if (cancelled) return new TransportError('cancelled', 'ERR_CANCELED', 'The check was cancelled.');
  const axiosError = error instanceof AxiosError ? error : undefined;
  const cause = (axiosError?.cause ?? error) as NodeJS.ErrnoException & { address?: string; port?: number };
  // axios' own codes are generic for network failures; Node's code on the cause says what happened.
  const axiosCode = axiosError?.code;
  const code =
    axiosCode === undefined || axiosCode === AxiosError.ERR_NETWORK || axiosCode === AxiosError.ERR_BAD_RESPONSE
      ? (cause?.code ?? axiosCode)
      : axiosCode;
  if (timedOut || code === AxiosError.ECONNABORTED || code === AxiosError.ETIMEDOUT)
    return new TransportError('timeout', code, 'No answer before the deadline.');
  if (/maxContentLength/i.test(axiosError?.message ?? '')) return new TransportError('too-large', code, 'The answer was too large.');
  const message = error instanceof Error ? error.message : String(error);
  return new TransportError('network', code, message, { address: cause?.address, port: cause?.port });
}

function plainHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const source =
    headers && typeof headers === 'object' && 'toJSON' in headers
      ? (headers as { toJSON(): object }).toJSON()
      : ((headers as object) ?? {});
  for (const [name, value] of Object.entries(source)) {
    if (value === undefined || value === null) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}

/**
 * `ca` on a TLS context replaces Node's trust store, so the extra CA is added to the defaults.
 * Node 22.15+ can list the full default store (with NODE_EXTRA_CA_CERTS); older Node lists the bundled roots.
 */
function withDefaultRoots(extra: ExtraCa): Array<string | Buffer> {
  const tlsWithStore = tls as typeof tls & { getCACertificates?: (type: 'default') => string[] };
  const defaults = tlsWithStore.getCACertificates ? tlsWithStore.getCACertificates('default') : tls.rootCertificates;
  return [...defaults, ...(Array.isArray(extra) ? extra : [extra])];
}
