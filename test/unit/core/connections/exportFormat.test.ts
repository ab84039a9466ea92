import * as assert from 'assert';
import { type Connection } from '../../../../src/core/connections/connection';
import {
  buildExport,
  EXPORT_FORMAT,
  importToken,
  jsonErrorWhere,
  parseConnectionsFile,
  serializeExport,
} from '../../../../src/core/connections/exportFormat';
import { makeCloudToken, makeDataCenterPat } from '../../../support/tokens';

const now = new Date('2026-11-27T12:00:00Z');

function file(connections: unknown[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ format: EXPORT_FORMAT, version: 1, exportedAt: now.toISOString(), connections, ...extra });
}

describe('connections export format', () => {
  const connections: Connection[] = [
    {
      id: 'a',
      label: 'Acme',
      kind: 'cloud-scoped',
      baseUrl: 'https://acme.atlassian.net',
      email: 'dev@acme.com',
      cloudId: 'c-1',
      createdAt: '2026-01-01T00:00:00Z',
      rotatedAt: '2026-02-01T00:00:00Z',
      expiresAt: '2027-01-01T00:00:00Z',
      lastCheck: { status: 'valid', message: 'ok', durationMs: 3, checkedAt: '2026-02-02T00:00:00Z', identity: { accountId: 'x' } },
    },
    {
      id: 'b',
      label: 'DC',
      kind: 'datacenter-pat',
      baseUrl: 'https://jira.example.com/jira',
      createdAt: '2026-01-01T00:00:00Z',
      tokenMissing: true,
    },
  ];

  it('exports only the non-secret description of each connection', () => {
    const data = buildExport(connections, now);
    assert.deepStrictEqual(data, {
      format: EXPORT_FORMAT,
      version: 1,
      exportedAt: now.toISOString(),
      connections: [
        { label: 'Acme', kind: 'cloud-scoped', baseUrl: 'https://acme.atlassian.net', email: 'dev@acme.com', cloudId: 'c-1' },
        { label: 'DC', kind: 'datacenter-pat', baseUrl: 'https://jira.example.com/jira' },
      ],
    });
  });

  it('imports what it exports', () => {
    const parsed = parseConnectionsFile(serializeExport(buildExport(connections, now)));
    assert.ok(parsed.ok);
    assert.deepStrictEqual(
      parsed.value.map((c) => [c.label, c.kind, c.baseUrl, c.email, c.cloudId]),
      [
        ['Acme', 'cloud-scoped', 'https://acme.atlassian.net', 'dev@acme.com', 'c-1'],
        ['DC', 'datacenter-pat', 'https://jira.example.com/jira', undefined, undefined],
      ],
    );
  });

  it('normalises entries with the Add Connection rules', () => {
    const parsed = parseConnectionsFile(file([{ kind: 'cloud', baseUrl: 'acme.atlassian.net/jira/your-work', email: ' dev@acme.com ' }]));
    assert.ok(parsed.ok);
    assert.deepStrictEqual(parsed.value[0], {
      label: 'acme (dev@acme.com)',
      kind: 'cloud',
      baseUrl: 'https://acme.atlassian.net',
      host: 'acme.atlassian.net',
      email: 'dev@acme.com',
    });
  });

  it('refuses bad files with an error that names the problem', () => {
    const token = makeCloudToken();
    const cases: Array<[string, RegExp]> = [
      ['{ not json', /not valid JSON/],
      ['[1, 2]', /not a Jira Token Guard connections file/],
      [JSON.stringify({ version: 1, connections: [] }), /"format" should be/],
      [file([], { version: 2 }), /newer version.*format version 2/],
      [file([], { version: 'one' }), /no valid "version"/],
      [file([]), /lists no connections/],
      [JSON.stringify({ format: EXPORT_FORMAT, version: 1 }), /no "connections" list/],
      [file([{ kind: 'cloud', baseUrl: 'https://a.atlassian.net', email: 'a@a.co' }, 'x']), /^Connection 2: is not an object/],
      [
        file([{ label: 'Bad kind', kind: 'jira', baseUrl: 'https://a.atlassian.net' }]),
        /^Connection 1 \(“Bad kind”\): unknown kind "jira"/,
      ],
      [file([{ label: 'Plain', kind: 'datacenter-pat', baseUrl: 'http://jira.example.com' }]), /^Connection 1 \(“Plain”\): .*unencrypted/],
      [file([{ label: 'No email', kind: 'cloud', baseUrl: 'https://a.atlassian.net' }]), /email/],
      [file([{ label: 'Num', kind: 'cloud', baseUrl: 'https://a.atlassian.net', email: 7 }]), /"email" must be text/],
      [
        file([{ label: 'T', kind: 'cloud', baseUrl: 'https://a.atlassian.net', email: 'a@a.co', token: token }]),
        /has a "token" property.*never hold tokens/,
      ],
      [
        file([{ label: 'P', kind: 'datacenter-basic', baseUrl: 'https://j.example.com', username: 'me', password: 'hunter2' }]),
        /has a "password" property/,
      ],
      [
        file([{ label: token, kind: 'cloud', baseUrl: 'https://a.atlassian.net', email: 'a@a.co' }]),
        /^Connection 1: "label" holds what looks like a token/,
      ],
      [
        file([
          { label: 'One', kind: 'cloud', baseUrl: 'https://a.atlassian.net', email: 'a@a.co' },
          { label: 'Two', kind: 'cloud', baseUrl: 'https://A.atlassian.net/', email: 'A@a.co' },
        ]),
        /^Connection 2 \(“Two”\): the same site and user as connection 1/,
      ],
      ['x'.repeat(1024 * 1024 + 1), /too big/],
    ];
    for (const [text, expected] of cases) {
      const parsed = parseConnectionsFile(text);
      assert.ok(!parsed.ok, `accepted: ${text.slice(0, 80)}`);
      assert.match(parsed.error, expected);
      assert.ok(!parsed.error.includes(token) && !parsed.error.includes(token.slice(0, 20)), 'the error never echoes a token');
      if (parsed.error.startsWith('Connection')) assert.match(parsed.error, /Nothing was imported\.$/);
    }
  });

  it('reports invalid JSON by position only, never quoting the file', () => {
    const token = makeCloudToken();
    for (const text of [
      `{ "label": ${token} }`,
      `{\n  "connections": [\n    ${token}\n  ]\n}`,
      `${token}`,
      `{ "a": "${token}"`,
      `{ "a": 1,\n ${token}: 2 }`,
    ]) {
      const parsed = parseConnectionsFile(text);
      assert.ok(!parsed.ok);
      assert.match(parsed.error, /^The file is not valid JSON( \(line \d+, column \d+\))?\.$/);
      assert.ok(!parsed.error.includes(token.slice(0, 6)) && !parsed.error.includes(token.slice(-8)), 'the error never quotes the file');
    }
  });

  it('turns a parser position into a line and column', () => {
    assert.strictEqual(
      jsonErrorWhere('{\n  "a": 1,\n  x\n}', new SyntaxError('Expected double-quoted property name in JSON at position 14')),
      ' (line 3, column 3)',
    );
    assert.strictEqual(
      jsonErrorWhere('{x', new SyntaxError("Expected property name or '}' in JSON at position 1 (line 1 column 2)")),
      ' (line 1, column 2)',
    );
    assert.strictEqual(jsonErrorWhere('x', new SyntaxError('Unexpected token \'x\', "x" is not valid JSON')), '');
    assert.strictEqual(jsonErrorWhere('x', 'not an error'), '');
    // The parser's own position, whatever this Node version's message looks like.
    const text = '{\n  "format": 1,\n  ]\n}';
    let message = '';
    try {
      JSON.parse(text);
    } catch (error) {
      message = jsonErrorWhere(text, error);
    }
    assert.ok(message === '' || message === ' (line 3, column 3)', message);
  });

  it('checks the tokens given for an import with the Add Connection rules', () => {
    const parsed = parseConnectionsFile(
      file([
        { label: 'Acme', kind: 'cloud', baseUrl: 'https://acme.atlassian.net', email: 'a@acme.com' },
        { label: 'DC', kind: 'datacenter-pat', baseUrl: 'https://jira.example.com' },
      ]),
    );
    assert.ok(parsed.ok);
    const [acme, dc] = parsed.value;
    const cloudToken = makeCloudToken();
    const pat = makeDataCenterPat();
    assert.deepStrictEqual(importToken({ Acme: ` ${cloudToken}\n` }, acme), { ok: true, value: cloudToken }, 'by label, trimmed');
    assert.deepStrictEqual(importToken({ 'https://jira.example.com': pat }, dc), { ok: true, value: pat }, 'by base URL');
    assert.deepStrictEqual(importToken({}, acme), { ok: true, value: undefined }, 'none: token missing');
    assert.deepStrictEqual(importToken(undefined, acme), { ok: true, value: undefined });
    const mismatch = importToken({ DC: cloudToken }, dc);
    assert.ok(!mismatch.ok && /“DC”.*Cloud API token.*Nothing was imported/.test(mismatch.error) && !mismatch.error.includes(cloudToken));
    assert.deepStrictEqual(importToken({ DC: cloudToken }, dc, true), { ok: true, value: cloudToken });
    const email = importToken({ Acme: 'a@acme.com' }, acme);
    assert.ok(!email.ok && /email address, not a token/.test(email.error));
    const wrongType = importToken({ Acme: 42 as unknown as string }, acme);
    assert.ok(!wrongType.ok && /must be text/.test(wrongType.error));
  });
});
