import * as assert from 'assert';
import {
  ATLASSIAN_REMOTE_MCP_URL,
  canUseAtlassianRemoteMcp,
  localMcpEnvironment,
  localMcpVariables,
  remoteMcpAuthorization,
} from '../../../../src/core/hygiene/toolEnvironment';

describe('toolEnvironment (MCP header and environment)', () => {
  const cloud = { kind: 'cloud' as const, baseUrl: 'https://acme.atlassian.net', email: 'ann@acme.com' };

  it('documents the remote server address Atlassian publishes for API tokens', () => {
    assert.strictEqual(ATLASSIAN_REMOTE_MCP_URL, 'https://mcp.atlassian.com/v1/mcp');
  });

  it('uses Basic base64(email:token) for the remote server, only for Cloud connections with an email', () => {
    assert.strictEqual(
      remoteMcpAuthorization(cloud, 'secret-token'),
      `Basic ${Buffer.from('ann@acme.com:secret-token').toString('base64')}`,
    );
    assert.ok(canUseAtlassianRemoteMcp(cloud));
    assert.ok(canUseAtlassianRemoteMcp({ kind: 'cloud-scoped', email: 'a@b.c' }));
    assert.ok(!canUseAtlassianRemoteMcp({ kind: 'cloud', email: undefined }));
    assert.ok(!canUseAtlassianRemoteMcp({ kind: 'datacenter-pat', email: 'a@b.c' }));
  });

  it('gives a local server JIRA_URL, JIRA_USERNAME and JIRA_API_TOKEN, or JIRA_PERSONAL_TOKEN for a PAT', () => {
    assert.deepStrictEqual(localMcpEnvironment(cloud, 't'), {
      JIRA_URL: 'https://acme.atlassian.net',
      JIRA_USERNAME: 'ann@acme.com',
      JIRA_API_TOKEN: 't',
    });
    assert.deepStrictEqual(localMcpEnvironment({ kind: 'datacenter-basic', baseUrl: 'https://jira.acme.com', username: 'ann' }, 't'), {
      JIRA_URL: 'https://jira.acme.com',
      JIRA_USERNAME: 'ann',
      JIRA_API_TOKEN: 't',
    });
    assert.deepStrictEqual(localMcpEnvironment({ kind: 'datacenter-pat', baseUrl: 'https://jira.acme.com', username: 'ann' }, 't'), {
      JIRA_URL: 'https://jira.acme.com',
      JIRA_PERSONAL_TOKEN: 't',
    });
    assert.deepStrictEqual(localMcpVariables({ kind: 'datacenter-pat', baseUrl: 'https://jira.acme.com' }), [
      'JIRA_URL',
      'JIRA_PERSONAL_TOKEN',
    ]);
  });
});
