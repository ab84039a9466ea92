// `jira-token-guard check`: the extension's credential check from a shell. The token comes from an
// environment variable or standard input, never from an argument (arguments show in `ps` and history).
import { CONNECTION_KINDS, type ConnectionKind, type Credential } from '../core/connections/connection';
import { cleanToken, isConnectionKind, tokenKindMismatch, validateToken, validateUser } from '../core/connections/connectionInput';
import { DEFAULT_GATEWAY_URL, DEFAULT_TIMEOUT_MS, checkCredential, openNodeTransport } from '../node/jira';
import { type VerifiableFinding, type VerifyInput, verifyFindings as verifyWith } from '../core/findings/verifyFindings';
import type { Verification } from '../core/findings/reportedFinding';
import { inferConnectionKind } from '../core/connections/kindInference';
import { looksLikeToken } from '../core/tokens/tokenShapes';
import { normalizeBaseUrl } from '../core/connections/url';
import { validateExpiry } from '../core/connections/connectionInput';
import { formatDate, jsonForTerminal, plural } from '../core/common/text';
import { EXIT_FOUND, EXIT_OK, UsageError, flag, parseCommandLine, stringOption } from './args';
import { CHECK_HELP } from './help';
import { type CliIo } from './io';

const OPTIONS = {
  url: { type: 'string' },
  email: { type: 'string' },
  username: { type: 'string' },
  kind: { type: 'string' },
  'token-env': { type: 'string' },
  'token-stdin': { type: 'boolean' },
  'gateway-url': { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
  'expires-within': { type: 'string' },
  'expires-at': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const MAX_TIMEOUT_SECONDS = 600;
/** Far more than any token; stops a mistaken `< big-file` early. */
const MAX_STDIN_BYTES = 64 * 1024;

export async function checkCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(args, OPTIONS, false);
  if (flag(parsed, 'help')) {
    io.stdout.write(CHECK_HELP);
    return EXIT_OK;
  }
  const urlArg = stringOption(parsed, 'url');
  if (urlArg === undefined) throw new UsageError('--url is required (the Jira site, e.g. https://your-team.atlassian.net)');
  const site = normalizeBaseUrl(urlArg);
  if (!site.ok) throw new UsageError(site.error);
  const email = stringOption(parsed, 'email');
  const username = stringOption(parsed, 'username');
  if (email !== undefined && username !== undefined)
    throw new UsageError('give --email (Jira Cloud) or --username (Data Center), not both');
  for (const [option, value] of [
    ['--email', email],
    ['--username', username],
  ] as const) {
    if (value !== undefined && looksLikeToken(value.trim())) {
      throw new UsageError(`${option} has the shape of a token, not of a user: give the token with --token-env NAME or --token-stdin`);
    }
  }
  const kindArg = stringOption(parsed, 'kind');
  if (kindArg !== undefined && !isConnectionKind(kindArg)) throw new UsageError(`--kind must be one of ${CONNECTION_KINDS.join(', ')}`);
  const timeoutMs = parseTimeout(stringOption(parsed, 'timeout'));
  const gatewayUrl = parseGateway(stringOption(parsed, 'gateway-url'));
  const windowDays = parseWindow(stringOption(parsed, 'expires-within'));
  const givenExpiry = parseExpiresAt(stringOption(parsed, 'expires-at'));

  const token = await readToken(io, stringOption(parsed, 'token-env'), flag(parsed, 'token-stdin'));
  const kind: ConnectionKind = kindArg ?? inferConnectionKind(site.url, token, { email, username });
  const user = validateUser(kind, email, username);
  if (!user.ok) throw new UsageError(user.error);
  const validToken = validateToken(token, kind);
  if (!validToken.ok) throw new UsageError(validToken.error);
  const mismatch = tokenKindMismatch(validToken.value, kind);
  if (mismatch) io.stderr.write(`jira-token-guard: note: ${mismatch}\n`);

  const now = new Date();
  const credential: Credential = { kind, baseUrl: site.url, ...user.value, ...(givenExpiry ? { expiresAt: givenExpiry } : {}) };
  const result = await checkCredential(credential, validToken.value, { timeoutMs, gatewayUrl });
  // Data Center: the PAT API's date; Cloud (no API tells): the date the user passed.
  const expiresAt = result.expiresAt ?? givenExpiry;
  const expiringSoon =
    result.status === 'valid' &&
    windowDays !== undefined &&
    expiresAt !== undefined &&
    Date.parse(expiresAt) - now.getTime() <= windowDays * DAY_MS;
  const sentence =
    result.status === 'valid' ? `${result.message} ${expirySentence(expiresAt, now, windowDays, expiringSoon)}` : result.message;
  // The result comes back with every secret form masked and every string safe to print; scrubbing the
  // token again costs nothing.
  const scrub = (text: string): string => text.split(validToken.value).join('…');
  const json = {
    kind,
    ...result,
    ...(expiresAt ? { expiresAt } : {}),
    ...(windowDays !== undefined ? { expiresWithinWindow: expiringSoon } : {}),
  };
  // The hint (what to do about a verdict) on a line of its own, as the JSON has it in its own field.
  const hint = result.hint ? `${result.hint.trim()}\n` : '';
  io.stdout.write(scrub(flag(parsed, 'json') ? jsonForTerminal(`${JSON.stringify(json, null, 2)}\n`) : `${sentence.trim()}\n${hint}`));
  return result.status === 'valid' && !expiringSoon ? EXIT_OK : EXIT_FOUND;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function expirySentence(expiresAt: string | undefined, now: Date, windowDays: number | undefined, expiringSoon: boolean): string {
  if (!expiresAt)
    return windowDays === undefined
      ? ''
      : 'Its expiry date is unknown (for a Cloud token, pass --expires-at with the date the token page shows).';
  const days = Math.ceil((Date.parse(expiresAt) - now.getTime()) / DAY_MS);
  const date = formatDate(expiresAt);
  if (expiringSoon)
    return `But it expires on ${date}, ${days > 0 ? `in ${plural(days, 'day')}` : 'today'}, within the ${plural(windowDays!, 'day')} asked: create its successor and rotate it now.`;
  return `It expires on ${date}${days > 0 ? ` (in ${plural(days, 'day')})` : ''}.`;
}

/** `30d`, `4w` or a plain number of days. */
function parseWindow(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^\s*(\d{1,4})\s*([dw]?)\s*$/i.exec(value);
  const days = match ? Number(match[1]) * (match[2].toLowerCase() === 'w' ? 7 : 1) : NaN;
  if (!match || days < 1 || days > 3650) throw new UsageError('--expires-within must be a number of days such as 30d or 4w');
  return days;
}

function parseExpiresAt(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  // A past date is allowed here: the check then says the token outlived it.
  const expiry = validateExpiry(value, new Date(0));
  if (!expiry.ok || !expiry.value) throw new UsageError('--expires-at must be a date, YYYY-MM-DD (the token page shows it)');
  return expiry.value;
}

function parseTimeout(value: string | undefined): number {
  if (value === undefined) return DEFAULT_TIMEOUT_MS;
  const seconds = Number(value);
  if (!value.trim() || !Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_TIMEOUT_SECONDS) {
    throw new UsageError(`--timeout must be a number of seconds, more than 0 and at most ${MAX_TIMEOUT_SECONDS}`);
  }
  return Math.round(seconds * 1000);
}

function parseGateway(value: string | undefined): string {
  if (value === undefined) return DEFAULT_GATEWAY_URL;
  try {
    const url = new URL(value);
    if (url.protocol === 'https:' || url.protocol === 'http:') return value;
  } catch {
    // reported below
  }
  throw new UsageError('--gateway-url must be an https:// URL, such as https://api.atlassian.com');
}

async function readToken(io: CliIo, envName: string | undefined, fromStdin: boolean): Promise<string> {
  if (envName !== undefined && fromStdin) throw new UsageError('give the token with --token-env NAME or --token-stdin, not both');
  let raw: string;
  if (envName !== undefined) {
    raw = io.env[envName] ?? '';
    // The name is not repeated: a token pasted after --token-env would end up in CI logs.
    if (!raw.trim())
      throw new UsageError(
        'the environment variable named by --token-env is not set or empty: give the name of a variable that holds the token',
      );
  } else if (fromStdin) {
    raw = io.stdin.isTTY && io.stdin.setRawMode ? await promptHidden(io) : await readAll(io.stdin);
    if (raw.trim().includes('\n')) throw new UsageError('standard input holds more than one line: give the token alone');
    if (!raw.trim()) throw new UsageError('standard input was empty: pipe the token in, e.g. from your secret manager');
  } else {
    throw new UsageError(
      'give the token with --token-env NAME or --token-stdin (never as an argument: it would show in ps and shell history)',
    );
  }
  return cleanToken(raw);
}

function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer | string) => {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += buffer.length;
      if (size > MAX_STDIN_BYTES) {
        stream.pause();
        reject(new UsageError('standard input is too large to be a token'));
        return;
      }
      chunks.push(buffer);
    });
    stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    stream.on('error', (error: Error) => reject(new UsageError(`cannot read standard input: ${error.message}`)));
  });
}

/** Reads one line from a terminal with echo off. */
function promptHidden(io: CliIo): Promise<string> {
  const stdin = io.stdin;
  io.stderr.write('Token (input hidden): ');
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (): void => {
      stdin.off('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      io.stderr.write('\n');
    };
    const onData = (chunk: Buffer | string): void => {
      for (const char of chunk.toString()) {
        if (char === '\r' || char === '\n' || char === '\u0004') {
          finish();
          resolve(value);
          return;
        }
        if (char === '\u0003') {
          finish();
          reject(new UsageError('cancelled'));
          return;
        }
        value = char === '\u007f' || char === '\b' ? value.slice(0, -1) : value + char;
      }
    };
    stdin.setRawMode?.(true);
    stdin.on('data', onData);
    stdin.resume();
  });
}

/** `scan --verify` runs in this bundle too: it needs the HTTP client, which a plain scan never loads. */
export function verifyFindings<F extends VerifiableFinding>(
  inputs: ReadonlyArray<VerifyInput<F>>,
  options: { verifyHosts: readonly string[] },
): Promise<Array<F & { verification: Verification }>> {
  return verifyWith(inputs, { ...options, transport: openNodeTransport });
}
