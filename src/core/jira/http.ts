// The HTTP client of the Jira checks and APIs: one HttpClient serves one credential check. It owns the
// check's deadline, the rule of which origins may receive credentials, and the answer shapes; a Transport
// sends the bytes (Node's in src/node/httpTransport.ts; a browser's can be `fetch`) and is closed afterwards,
// so no socket outlives the check. Redirects are never followed here: check.ts decides about each one.

export const USER_AGENT = 'jira-token-guard (VS Code extension; credential check)';

/** Answers larger than this cannot be a `myself` or PAT list answer. */
export const MAX_ANSWER_BYTES = 2 * 1024 * 1024;

/** Extra trusted CA certificates (PEM text or DER bytes), added to the default trust store where the transport has one. */
export type ExtraCa = string | Uint8Array | Array<string | Uint8Array>;

export interface HttpAnswer {
  url: URL;
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: string;
  durationMs: number;
}

/** Why a request produced no answer. `code` is the transport's error code (e.g. Node's ECONNREFUSED). */
export class TransportError extends Error {
  constructor(
    readonly reason: 'timeout' | 'cancelled' | 'network' | 'too-large',
    readonly code: string | undefined,
    message: string,
    /** The address the transport actually connected to: differs from the target when a proxy was in between. */
    readonly remote?: { address?: string; port?: number },
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

/** One request as a transport sends it: no redirect followed, no proxy or credential added. */
export interface TransportRequest {
  method: HttpMethod;
  url: string;
  /** Header names as sent; Authorization only for an origin the client allows. */
  headers: Record<string, string>;
  /** A JSON text, with its Content-Type among the headers. */
  body?: string;
  /** Time left before the check's deadline: give up by then (`signal` also aborts at that moment). */
  timeoutMs: number;
  /** Aborted at the deadline and when the caller cancels. */
  signal: AbortSignal;
  /** A longer answer is refused: TransportError 'too-large'. */
  maxAnswerBytes: number;
}

export interface TransportAnswer {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: string;
}

/** Sends the requests of one check. Throws a TransportError when there is no answer (any other error reads as a network failure). */
export interface Transport {
  send(request: TransportRequest): Promise<TransportAnswer>;
  /** The check is over: close whatever is held open. */
  close(): void;
}

export interface TransportOptions {
  /** Ignored by a transport that cannot add trust (a browser's). */
  ca?: ExtraCa;
}

/** Opens a transport for one check. The entry point chooses it: Node's (extension, command line) or a browser's. */
export type OpenTransport = (options: TransportOptions) => Transport;

export interface HttpClientOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  ca?: ExtraCa;
  /** Origins allowed to receive an Authorization header; anything else is a bug and is refused. */
  credentialOrigins: readonly string[];
  transport: OpenTransport;
}

export interface HttpClient {
  get(url: URL, authorization?: string): Promise<HttpAnswer>;
  /** Any method; a `json` body is sent as application/json. */
  request(method: HttpMethod, url: URL, authorization?: string, json?: unknown): Promise<HttpAnswer>;
  close(): void;
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const deadline = Date.now() + options.timeoutMs;
  const transport = options.transport({ ...(options.ca ? { ca: options.ca } : {}) });
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
      return send(transport, method, url, authorization, json, budget, options.signal);
    },
    close() {
      transport.close();
    },
  };
  return client;
}

async function send(
  transport: Transport,
  method: HttpMethod,
  url: URL,
  authorization: string | undefined,
  json: unknown,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<HttpAnswer> {
  // A transport's own timeout may be a socket idle timer: a server that trickles bytes or stalls
  // mid-handshake can outlive it. The abort timer bounds the whole exchange.
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onCallerAbort = (): void => controller.abort();
  signal?.addEventListener('abort', onCallerAbort, { once: true });
  const started = Date.now();
  try {
    const answer = await transport.send({
      method,
      url: url.href,
      headers: {
        Accept: 'application/json',
        'User-Agent': USER_AGENT,
        ...(authorization ? { Authorization: authorization } : {}),
        ...(json !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
      timeoutMs,
      signal: controller.signal,
      maxAnswerBytes: MAX_ANSWER_BYTES,
    });
    return { url, status: answer.status, headers: answer.headers, body: answer.body, durationMs: Date.now() - started };
  } catch (error) {
    throw toTransportError(error, timedOut, signal?.aborted === true);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onCallerAbort);
  }
}

/** The deadline and the caller's cancel say what happened whatever the transport reported. */
function toTransportError(error: unknown, timedOut: boolean, cancelled: boolean): TransportError {
  if (cancelled) return new TransportError('cancelled', 'ERR_CANCELED', 'The check was cancelled.');
  if (timedOut)
    return new TransportError('timeout', error instanceof TransportError ? error.code : 'ETIMEDOUT', 'No answer before the deadline.');
  if (error instanceof TransportError) return error;
  return new TransportError('network', undefined, error instanceof Error ? error.message : String(error));
}
