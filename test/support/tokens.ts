// Test tokens are generated at run time (random body, computed CRC-32): no checksum-valid token is
// ever committed to the repository or shipped. Written apart from src/ (the integration tests load no
// copy of it), so the checksum here also checks the scanner's.
import { randomBytes } from 'crypto';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const B64URL = ALNUM + '-_';

/** Where the random bytes come from: crypto by default; a seeded source makes a fuzzer's documents reproducible. */
let randomSource: (length: number) => Buffer = randomBytes;

/** Generates with `source` while `make` runs (nested calls restore the outer source). */
export function withRandomSource<T>(source: (length: number) => Buffer, make: () => T): T {
  const previous = randomSource;
  randomSource = source;
  try {
    return make();
  } finally {
    randomSource = previous;
  }
}

function randomFrom(alphabet: string, length: number): string {
  const bytes = randomSource(length);
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[bytes[i] % alphabet.length];
  return out;
}

/** A current-format Cloud API token: ATATT3xFfGF0 + base64url body + '=' + CRC-32 (192 chars by default). */
export function makeCloudToken(options: { validCrc?: boolean; length?: number; prefix?: 'ATATT3xFfGF0' | 'ATCTT3xFfGN0' } = {}): string {
  const length = options.length ?? 192;
  const prefix = options.prefix ?? 'ATATT3xFfGF0';
  const head = prefix + randomFrom(B64URL, length - prefix.length - 9) + '=';
  const crc = crc32Hex(head);
  return head + (options.validCrc === false ? flipHex(crc) : crc);
}

export function makeAccessToken(validCrc = true): string {
  return makeCloudToken({ prefix: 'ATCTT3xFfGN0', validCrc });
}

export function makeBitbucketAppPassword(validCrc = true): string {
  const head = 'ATBB' + randomFrom(ALNUM, 24);
  const crc = crc32Hex(head);
  return head + (validCrc ? crc : flipHex(crc));
}

/** A Data Center PAT: base64 of "<id>:<20 random bytes>", 44 chars. */
export function makeDataCenterPat(id = String(100000000000 + (randomSource(6).readUIntLE(0, 6) % 899999999999))): string {
  const idPart = id.slice(0, 12).padStart(12, '1');
  return Buffer.concat([Buffer.from(`${idPart}:`, 'ascii'), randomSource(20)]).toString('base64');
}

/** base64 of `<id>:<random bytes>` with the id as given (any length, any characters): real and near-miss PATs. */
export function makePatBody(id: string, randomLength: number): string {
  return Buffer.concat([Buffer.from(`${id}:`, 'latin1'), randomSource(randomLength)]).toString('base64');
}

/** A 24-char legacy Cloud token in gitleaks' narrow form ([a-z0-9]{20}[a-f0-9]{4}). */
export function makeLegacyCloudToken(): string {
  return randomFrom('abcdefghijklmnopqrstuvwxyz0123456789', 20) + randomFrom('abcdef0123456789', 4);
}

/** The id a Data Center PAT carries (the digits before the colon of its base64 body), as Jira's PAT API names it. */
export function dataCenterPatId(pat: string): string | undefined {
  return /^(\d{1,20}):/.exec(Buffer.from(pat, 'base64').toString('latin1'))?.[1];
}

/** zlib's CRC-32 as 8 upper-case hex digits, bit by bit (not zlib.crc32: VS Code 1.90's host runs Node 18). */
export function crc32Hex(text: string): string {
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) {
    crc ^= text.charCodeAt(i);
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return ((crc ^ 0xffffffff) >>> 0).toString(16).toUpperCase().padStart(8, '0');
}

function flipHex(hex: string): string {
  const last = hex[hex.length - 1];
  return hex.slice(0, -1) + (last === '0' ? '1' : '0');
}

/** A Bitbucket Data Center HTTP access token: BBDC- + a PAT-structured body. */
export function makeBitbucketDcToken(): string {
  return `BBDC-${makeDataCenterPat()}`;
}
