// Node's transport for core's HTTP client (core/jira/http.ts), and the only place that talks to axios and
// to Node's http, https and tls. One transport serves one check: its own agents (so that the extra CA reaches
// the TLS layer and no kept-alive socket of an earlier check is reused), destroyed when the check closes it.
import axios, { AxiosError } from 'axios';
import * as http from 'http';
import * as https from 'https';
import * as tls from 'tls';
import {
  type ExtraCa,
  type OpenTransport,
  type Transport,
  type TransportAnswer,
  TransportError,
  type TransportRequest,
} from '../core/jira';

export const openNodeTransport: OpenTransport = (options) => {
  const httpAgent = new http.Agent({ keepAlive: true });
  const httpsAgent = new https.Agent({
    keepAlive: true,
    rejectUnauthorized: true,
    ...(options.ca ? { ca: withDefaultRoots(options.ca) } : {}),
  });
  const transport: Transport = {
    send: (request) => send(request, httpAgent, httpsAgent),
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
  return transport;
};

async function send(request: TransportRequest, httpAgent: http.Agent, httpsAgent: https.Agent): Promise<TransportAnswer> {
  try {
    const response = await axios.request<string>({
      url: request.url,
      method: request.method,
      headers: request.headers,
      ...(request.body !== undefined ? { data: request.body } : {}),
      adapter: 'http',
      proxy: false, // VS Code patches Node's http/https for proxies; axios must not apply env proxies on top.
      maxRedirects: 0,
      validateStatus: () => true,
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      // A socket idle timer; the client's abort signal bounds the whole exchange.
      timeout: request.timeoutMs,
      signal: request.signal,
      httpAgent,
      httpsAgent,
      maxContentLength: request.maxAnswerBytes,
    });
    return {
      status: response.status,
      headers: plainHeaders(response.headers),
      body: typeof response.data === 'string' ? response.data : '',
    };
  } catch (error) {
    throw toTransportError(error);
  }
}

function toTransportError(error: unknown): TransportError {
  const axiosError = error instanceof AxiosError ? error : undefined;
  const cause = (axiosError?.cause ?? error) as NodeJS.ErrnoException & { address?: string; port?: number };
  // axios' own codes are generic for network failures; Node's code on the cause says what happened.
  const axiosCode = axiosError?.code;
  const code =
    axiosCode === undefined || axiosCode === AxiosError.ERR_NETWORK || axiosCode === AxiosError.ERR_BAD_RESPONSE
      ? (cause?.code ?? axiosCode)
      : axiosCode;
  if (code === AxiosError.ECONNABORTED || code === AxiosError.ETIMEDOUT)
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
  const asNode = (ca: string | Uint8Array): string | Buffer =>
    typeof ca === 'string' ? ca : Buffer.from(ca.buffer, ca.byteOffset, ca.byteLength);
  return [...defaults, ...(Array.isArray(extra) ? extra : [extra]).map(asNode)];
}
