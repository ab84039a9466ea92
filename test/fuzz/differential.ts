// The differential fuzzer of the scanner (issue 25): seeded documents made of every token family, valid and
// near-miss, in every way the leak guard reads a key, placed at the byte scan's window and chunk edges, in
// every encoding; the folder scan (whole file, and chunk by chunk through the scan engine's disk reader)
// must report exactly what the string scan of the decoded text reports. Tokens are generated while it
// runs (test/support/tokens.ts, from the document's seeded source): none is ever written down.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isMcpConfigFile } from '../../src/core/files/mcpFiles';
import { FAULTS_FOR_TESTS, type LocatedFinding, scanFileBytes, scanText } from '../../src/core/scanner/byteScan';
import { decodeText } from '../../src/core/scanner/textDecoding';
import { diskSource, scanSources } from '../../src/scanEngine/scanSources';
import {
  crc32Hex,
  makeAccessToken,
  makeBitbucketAppPassword,
  makeCloudToken,
  makeDataCenterPat,
  makeLegacyCloudToken,
  makePatBody,
  withRandomSource,
} from '../support/tokens';

/** The byte scan's window and region sizes (byteScan.ts): documents put tokens around their edges. */
const CONTEXT_BYTES = 3 * 4 * 1024;
const LEAD_BYTES = 1024;
const MERGE_GAP = 2 * CONTEXT_BYTES + LEAD_BYTES;
const CHUNK_SIZES = [4096, 6000, 8192, 12_288, 16_384];

/** mulberry32: small, seeded, good enough to spread documents. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  int(n: number): number {
    return n <= 0 ? 0 : this.next() % n;
  }
  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  chance(p: number): boolean {
    return this.next() / 0x100000000 < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  bytes(n: number): Buffer {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) out[i] = this.next() & 0xff;
    return out;
  }
}

/** A piece of a document: text, or a token in its context (`label` says what it is; printed instead of it). */
export interface Segment {
  text: string;
  label?: string;
}

export type Encoding = 'utf8' | 'utf8-bom' | 'utf16le' | 'utf16be';

export interface FuzzDocument {
  seed: number;
  segments: Segment[];
  encoding: Encoding;
  eol: string;
  fileName: string;
  reportUnverified: boolean;
  chunkBytes: number;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const ALNUM = B64.slice(0, 62);
const PATH_CHARS = ALNUM + '/';

function from(r: Rng, alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[r.int(alphabet.length)];
  return out;
}

type TokenMaker = (r: Rng) => { label: string; value: string };

/** Every family, valid and near-miss (checksum, length, alphabet, id shapes). */
const TOKENS: TokenMaker[] = [
  () => ({ label: 'cloud', value: makeCloudToken() }),
  () => ({ label: 'cloud bad crc', value: makeCloudToken({ validCrc: false }) }),
  (r) => {
    const length = r.pick([60, 120, 186, 191, 193, 250, 1000, 1030]);
    return { label: `cloud of ${length}`, value: makeCloudToken({ length }) };
  },
  (r) => {
    const t = makeCloudToken();
    const n = r.between(6, t.length - 1);
    return { label: `cloud cut at ${n}`, value: t.slice(0, n) };
  },
  (r) => {
    const t = makeCloudToken();
    const at = r.between(12, t.length - 10);
    const c = r.pick(['.', '+', '/', ' ', '=', 'é']);
    return { label: `cloud with ${JSON.stringify(c)}`, value: t.slice(0, at) + c + t.slice(at + 1) };
  },
  (r) => {
    const t = makeCloudToken();
    const eq = t.lastIndexOf('=');
    const escaped = r.pick(['\\=', '%3D', '%3d', '\\u003d']);
    return { label: `cloud with ${escaped}`, value: t.slice(0, eq) + escaped + t.slice(eq + 1) };
  },
  () => ({ label: 'cloud lower-case crc', value: ((t) => t.slice(0, -8) + t.slice(-8).toLowerCase())(makeCloudToken()) }),
  () => ({ label: 'access token', value: makeAccessToken() }),
  () => ({ label: 'access token bad crc', value: makeAccessToken(false) }),
  () => ({ label: 'app password', value: makeBitbucketAppPassword() }),
  () => ({ label: 'app password bad crc', value: makeBitbucketAppPassword(false) }),
  (r) => {
    const head = 'ATBB' + from(r, ALNUM, r.pick([23, 25, 30]));
    return { label: 'app password wrong length', value: head + crc32Hex(head) };
  },
  () => ({ label: 'legacy', value: makeLegacyCloudToken() }),
  (r) => ({ label: 'legacy mixed case', value: from(r, ALNUM, 24) }),
  (r) => ({ label: 'legacy wrong length', value: from(r, 'abcdef0123456789', r.pick([23, 25])) }),
  () => ({ label: 'pat', value: makeDataCenterPat() }),
  (r) => {
    const id = r.pick(['0001', '1', '0', '42', '999999999999', '12345678901234567890', '123456789012345678901', '12a4', '', '-1', ' 12']);
    const rest = r.chance(0.7) ? 32 - id.length : r.between(8, 40);
    return { label: `pat id ${JSON.stringify(id)} + ${rest} bytes`, value: makePatBody(id, Math.max(0, rest)) };
  },
  (r) => ({ label: 'pat-like random', value: r.pick(['M', 'N', 'O']) + r.pick(['D', 'T', 'j', 'z']) + from(r, B64, 42) }),
  (r) => {
    const t = makeDataCenterPat();
    return r.chance(0.5) ? { label: 'pat cut', value: t.slice(0, 43) } : { label: 'pat + 1', value: t + from(r, B64, 1) };
  },
  () => ({ label: 'bbdc', value: `BBDC-${makeDataCenterPat()}` }),
  (r) => {
    const p = r.pick(['BBDC', 'bbdc-', 'BBDC_', 'xBBDC-', 'BBDC--']);
    return { label: `${p} + pat`, value: p + makeDataCenterPat() };
  },
  (r) => ({ label: 'bbdc id 0001', value: `BBDC-${makePatBody(r.pick(['0001', '7', '1234567890123']), 28)}` }),
];

/** Ways a key is read: assignments, sections, headers, URLs, JSON escapes, paths and base64 runs around it. */
const CONTEXTS: Array<(r: Rng, v: string, eol: string) => string> = [
  (_, v) => v,
  (_, v) => `JIRA_API_TOKEN=${v}`,
  (_, v) => `export ATLASSIAN_TOKEN="${v}"`,
  (_, v) => `jira_token: '${v}'`,
  (_, v) => `token = ${v}`,
  (_, v) => `password:${v}`,
  (_, v) => `"jira": { "apiToken": "${v}" }`,
  (_, v, eol) => `[jira]${eol}password = ${v}`,
  (_, v, eol) => `confluence:${eol}  pat: ${v}`,
  (_, v) => `Authorization: Bearer ${v}`,
  (_, v) => `-H "Authorization: Bearer ${v}" https://jira.example.com/rest/api/2/myself`,
  (r, v) => `Authorization: Basic ${Buffer.from(`${r.pick(['me@acme.com', 'bot', ''])}:${v}`).toString('base64')}`,
  (r, v) => `${r.pick(['basic', 'BASIC', 'xbasic'])}\t${Buffer.from(`u:${v}`).toString('base64')}`,
  (_, v) => `https://me%40acme.com:${v}@acme.atlassian.net/rest/api/3/myself`,
  (_, v) => `https://user:${v}@jira.example.com/`,
  (_, v) => `git clone https://x-token-auth:${v}@bitbucket.org/acme/repo.git`,
  (_, v) => `{"url":"https:\\/\\/jira.example.com\\/rest\\/pat\\/latest\\/tokens\\/${v}"}`,
  (_, v) => `"value": "${v.replace(/=/g, '\\u003d')}"`,
  (_, v) => `curl https://jira.example.com/rest/pat/latest/oauth/token/${v}`,
  (_, v) => `/oauth/token/${v}/refresh`,
  (r, v) => `${from(r, PATH_CHARS, r.int(220))}/${v}`,
  (r, v) => `${from(r, B64, r.int(260))}${v}`,
  (r, v) => `${v}${from(r, B64, r.int(260))}`,
  (r, v) => `${from(r, B64, r.int(120))}/${v}/${from(r, B64, r.int(120))}`,
  (r, v) => `${v}${r.pick(['=', '==', '_', '-', '/', '.'])}`,
  (r, v) => `${r.pick(['@', ':', '/', '"', "'", '`', 'x', '9', '-', '=', '(', '<'])}${v}`,
  (_, v) => `const JIRA_TOKEN = "${v}"; // gitleaks:allow`,
  (_, v) => `jira = "${v}" # pragma: allowlist secret`,
  (_, v) => `<password>${v}</password>`,
];

/** Text around the tokens: code and prose, keywords, near-anchors, multi-byte characters of every length. */
const WORDS = [
  'const',
  'x = 1;',
  'return',
  'the',
  'jira',
  'Atlassian',
  'confluence',
  'token',
  'é',
  '中文',
  '😀',
  'Ł€',
  'e\u0301',
  '@param',
  'a@b.c',
  'AT',
  'ATAT',
  'Basic',
  'BBDC',
  'path/to/file',
  'MDEyMzQ',
  '==',
  '\t',
  'https://jira.example.com',
];

function filler(r: Rng, eol: string, bytes: number): string {
  let out = '';
  let size = 0;
  while (size < bytes) {
    const word = r.chance(0.08) ? eol : r.chance(0.05) ? from(r, r.chance(0.5) ? B64 : PATH_CHARS, r.int(80)) : r.pick(WORDS);
    const next = r.chance(0.5) || word === eol ? word : ` ${word}`;
    const n = Buffer.byteLength(next);
    if (size + n > bytes) {
      out += '.'.repeat(bytes - size);
      break;
    }
    out += next;
    size += n;
  }
  return out;
}

/** A document of `seed`: its tokens come from the same seeded source, so the seed alone rebuilds it. */
export function generate(seed: number): FuzzDocument {
  const r = new Rng(seed);
  return withRandomSource(
    (n) => r.bytes(n),
    () => {
      const eol = r.pick(['\n', '\n', '\r\n', '\r']);
      const encoding = r.pick<Encoding>(['utf8', 'utf8', 'utf8', 'utf8', 'utf8-bom', 'utf16le', 'utf16be']);
      const chunkBytes = r.pick(CHUNK_SIZES);
      const mcp = r.chance(0.04);
      const fileName = mcp
        ? r.pick(['/w/.vscode/mcp.json', '/w/.mcp.json'])
        : r.pick(['/w/config.env', '/w/app.yml', '/w/src/a.ts', '/w/README.md', '/w/settings.json', '/w/notes.txt', '/w/yarn.lock']);
      const segments: Segment[] = [];
      if (mcp) {
        const { label, value } = r.pick(TOKENS)(r);
        segments.push({
          label: `mcp ${label}`,
          text: JSON.stringify(
            { servers: { jira: { command: 'npx', args: ['mcp-atlassian', '--jira-token', value], env: { JIRA_API_TOKEN: value } } } },
            null,
            r.chance(0.5) ? 2 : undefined,
          ).replace(/\n/g, eol),
        });
      }
      const size = r.pick([r.int(300), r.int(4000), r.between(chunkBytes, 4 * chunkBytes), r.between(MERGE_GAP, 3 * MERGE_GAP)]);
      const bom = encoding === 'utf8-bom' ? 3 : 0;
      // Where tokens go: the file's start, chunk edges, window edges after the previous token, anywhere.
      let at = 0;
      const count = r.between(1, 6);
      for (let k = 0; k < count && at <= size; k++) {
        const edge = r.int(5);
        const target =
          edge === 0
            ? 0
            : edge === 1
              ? Math.max(0, r.between(1, 4) * chunkBytes - bom + r.between(-300, 100))
              : edge === 2
                ? at + r.pick([MERGE_GAP, CONTEXT_BYTES, CONTEXT_BYTES + LEAD_BYTES, LEAD_BYTES]) + r.between(-260, 40)
                : edge === 3
                  ? at + r.int(200)
                  : r.int(size + 1);
        if (target > at) {
          segments.push({ text: filler(r, eol, target - at) });
          at = target;
        }
        const { label, value } = r.pick(TOKENS)(r);
        const context = r.pick(CONTEXTS);
        const text = (r.chance(0.3) ? eol : '') + context(r, value, eol) + (r.chance(0.7) ? eol : '');
        segments.push({ text, label: `${label} in context ${CONTEXTS.indexOf(context)}` });
        at += Buffer.byteLength(text);
      }
      if (r.chance(0.7)) segments.push({ text: filler(r, eol, r.int(size > at ? size - at : 200)) });
      return { seed, segments, encoding, eol, fileName, reportUnverified: r.chance(0.5), chunkBytes };
    },
  );
}

export function encode(doc: FuzzDocument): Buffer {
  const text = doc.segments.map((s) => s.text).join('');
  if (doc.encoding === 'utf8') return Buffer.from(text, 'utf8');
  if (doc.encoding === 'utf8-bom') return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
  const body = Buffer.from(text, 'utf16le');
  if (doc.encoding === 'utf16be') body.swap16();
  return Buffer.concat([Buffer.from(doc.encoding === 'utf16le' ? [0xff, 0xfe] : [0xfe, 0xff]), body]);
}

/** One finding as the comparison sees it: rule, place, confidence, what it covers. */
function key(f: { ruleId: string; line: number; column: number; confidence: string; fingerprint: string }): string {
  return `${f.ruleId} ${f.line}:${f.column} ${f.confidence} ${f.fingerprint.slice(0, 12)}`;
}

export interface Divergence {
  path: 'whole file' | 'chunked';
  expected: string[];
  actual: string[];
}

/** A scratch file for the chunked path (the scan engine reads files from disk); removed by `dispose`. */
export class Scratch {
  private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jtg-fuzz-'));
  readonly file = path.join(this.dir, 'doc');
  dispose(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Where the folder scan's findings differ from the string scan's, or how many they both report. */
export async function compare(doc: FuzzDocument, scratch: Scratch): Promise<Divergence | number> {
  const bytes = encode(doc);
  const options = { fileName: doc.fileName, reportUnverified: doc.reportUnverified };
  const expected = scanText(decodeText(bytes), options).map(key);
  const whole = scanFileBytes(bytes, options, true) as LocatedFinding[];
  const wholeKeys = whole.map(key);
  if (wholeKeys.join('\n') !== expected.join('\n')) return { path: 'whole file', expected, actual: wholeKeys };
  // Larger than a chunk: read region by region, as the command line and Scan Workspace read large files.
  // Not a file a rule reads whole: those are at most 512 KB, never chunked at the engine's 8 MB chunks.
  if (bytes.length <= doc.chunkBytes || isMcpConfigFile(doc.fileName)) return expected.length;
  fs.writeFileSync(scratch.file, bytes);
  const outcome = await scanSources([diskSource('doc', scratch.file)], {
    maxFileBytes: 64 * 1024 * 1024,
    includeBinary: true,
    reportUnverified: doc.reportUnverified,
    chunkBytes: doc.chunkBytes,
    yieldEveryMs: 1e9,
  });
  // The engine reports lines and columns from 1, and reads the file under another name.
  const chunked = outcome.findings.map((f) => key({ ...f, line: f.line - 1, column: f.column - 1 }));
  const expectedHere = scanText(decodeText(bytes), { ...options, fileName: scratch.file }).map(key);
  if (outcome.errors.length || chunked.join('\n') !== expectedHere.join('\n'))
    return { path: 'chunked', expected: expectedHere, actual: [...chunked, ...outcome.errors] };
  return expected.length;
}

/**
 * A smaller document that still diverges: tokens and text turned into dots of the same size (positions
 * kept, so an edge stays an edge), then segments dropped.
 */
export async function minimise(doc: FuzzDocument, scratch: Scratch, budget = 400): Promise<FuzzDocument> {
  let best = doc;
  let tries = 0;
  const still = async (candidate: FuzzDocument) => tries++ < budget && typeof (await compare(candidate, scratch)) !== 'number';
  const dots = (s: Segment): Segment => ({ text: '.'.repeat(Buffer.byteLength(s.text)) });
  for (let i = best.segments.length - 1; i >= 0; i--) {
    const s = best.segments[i];
    if (/^\.*$/.test(s.text)) continue;
    const candidate = { ...best, segments: best.segments.map((x, k) => (k === i ? dots(x) : x)) };
    if (await still(candidate)) best = candidate;
  }
  for (let i = best.segments.length - 1; i >= 0; i--) {
    const candidate = { ...best, segments: best.segments.filter((_, k) => k !== i) };
    if (await still(candidate)) best = candidate;
  }
  return best;
}

/** The document for a report: tokens replaced by what they are, long text by its size. */
export function describe(doc: FuzzDocument, divergence: Divergence): string {
  const lines = [
    `document seed ${doc.seed}: ${doc.encoding}, line ends ${JSON.stringify(doc.eol)}, ${doc.fileName}, ` +
      `reportUnverified ${doc.reportUnverified}, chunks of ${doc.chunkBytes} bytes, ${encode(doc).length} bytes`,
    `path: ${divergence.path}`,
    `string scan: ${JSON.stringify(divergence.expected)}`,
    `folder scan: ${JSON.stringify(divergence.actual)}`,
    'segments (tokens redacted):',
  ];
  let offset = doc.encoding === 'utf8-bom' ? 3 : 0;
  for (const s of doc.segments) {
    const size = Buffer.byteLength(s.text);
    const shown = s.label
      ? `<${s.label}: ${s.text.length} chars>`
      : /^\.*$/.test(s.text)
        ? `<${size} dots>`
        : size > 120
          ? `<${size} bytes of text>`
          : JSON.stringify(s.text);
    lines.push(`  @${offset} ${shown}`);
    offset += size;
  }
  return lines.join('\n');
}

export interface FuzzRun {
  documents: number;
  findings: number;
  failure?: string;
}

/** Documents of `seed`, `seed + 1`, … until `until()` says stop or one diverges (minimised and described). */
export async function fuzz(
  seed: number,
  until: (documents: number) => boolean,
  faults: Partial<typeof FAULTS_FOR_TESTS> = {},
): Promise<FuzzRun> {
  const scratch = new Scratch();
  const saved = { ...FAULTS_FOR_TESTS };
  Object.assign(FAULTS_FOR_TESTS, faults);
  let documents = 0;
  let findings = 0;
  try {
    for (let s = seed >>> 0; !until(documents); s = (s + 1) >>> 0) {
      const doc = generate(s);
      documents++;
      const result = await compare(doc, scratch);
      if (typeof result === 'number') {
        findings += result;
        continue;
      }
      const small = await minimise(doc, scratch);
      const again = await compare(small, scratch);
      const failure = `run seed ${seed}\n${describe(small, typeof again === 'number' ? result : again)}`;
      return { documents, findings, failure };
    }
    return { documents, findings };
  } finally {
    Object.assign(FAULTS_FOR_TESTS, saved);
    scratch.dispose();
  }
}
