import * as assert from 'assert';
import { connectionHints, decodeTokenLiteral, pythonImportLine, secretOfFinding } from '../../../../src/core/findings/leakContext';
import { fingerprintOf } from '../../../../src/core/tokens/tokenShapes';
import { makeCloudToken, makeDataCenterPat } from '../../../support/tokens';

describe('connectionHints', () => {
  it('finds the site and email around a Cloud token', () => {
    const token = makeCloudToken();
    const text = `JIRA_BASE_URL=https://acme.atlassian.net/jira/your-work\nJIRA_EMAIL=dev@acme.io\nJIRA_API_TOKEN=${token}\n`;
    const hints = connectionHints(text, text.indexOf(token), token);
    assert.deepStrictEqual(hints, { baseUrl: 'https://acme.atlassian.net', email: 'dev@acme.io', kind: 'cloud' });
  });

  it('prefers Jira-looking hosts and keeps a context path', () => {
    const pat = makeDataCenterPat();
    const text = `docs = "https://docs.python.org/3/"\nBASE = "https://example.com/jira/rest/api/2"\nTOKEN = "${pat}"`;
    const hints = connectionHints(text, text.indexOf(pat), pat);
    assert.strictEqual(hints.baseUrl, 'https://example.com/jira');
    assert.strictEqual(hints.kind, 'datacenter-pat');
    assert.strictEqual(hints.email, undefined);
  });

  it('decodes escaped equals signs', () => {
    assert.strictEqual(decodeTokenLiteral('abc\\=DEF%3dX%3D'), 'abc=DEF=X=');
  });
});

describe('secretOfFinding', () => {
  it('reads the token back from a literal, a Basic header and a URL password', () => {
    const token = makeCloudToken();
    const literal = `t=${token.replace(/=/, '\\=')}`;
    const start = 2;
    assert.deepStrictEqual(secretOfFinding(literal, { start, end: literal.length, fingerprint: fingerprintOf(token) }), {
      secret: token,
      isLiteral: true,
    });
    const basic = Buffer.from(`dev@acme.io:${token}`).toString('base64');
    const header = `Authorization: Basic ${basic}`;
    assert.deepStrictEqual(
      secretOfFinding(header, { start: header.indexOf(basic), end: header.length, fingerprint: fingerprintOf(token) }),
      { secret: token, isLiteral: false },
    );
    const encoded = encodeURIComponent(token);
    const url = `https://dev%40acme.io:${encoded}@acme.atlassian.net/`;
    const at = url.indexOf(encoded);
    assert.strictEqual(secretOfFinding(url, { start: at, end: at + encoded.length, fingerprint: fingerprintOf(token) })?.secret, token);
    assert.strictEqual(secretOfFinding(literal, { start, end: literal.length, fingerprint: 'nope' }), undefined);
  });
});

describe('pythonImportLine', () => {
  it('goes after the shebang, encoding line, docstring and __future__ imports', () => {
    assert.strictEqual(pythonImportLine('TOKEN = "x"\n'), 0);
    assert.strictEqual(pythonImportLine('#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\nTOKEN = "x"\n'), 2);
    assert.strictEqual(pythonImportLine('"""Sync issues.\n\nMore.\n"""\nfrom __future__ import annotations\nimport sys\n'), 5);
    assert.strictEqual(pythonImportLine("'''One line.'''\nTOKEN = 1\n"), 1);
  });
});
