import * as assert from 'assert';
import { connectionHints, decodeTokenLiteral } from '../../src/core/leakContext';
import { makeCloudToken, makeDataCenterPat } from '../support/tokens';

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
