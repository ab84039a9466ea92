import * as assert from 'assert';
import { planVerification } from '../../../../src/core/findings/verifyPlan';

const destinations = (plan: ReturnType<typeof planVerification>) =>
  'send' in plan ? plan.send.map((t) => `${t.credential.kind} ${t.credential.baseUrl} ${t.credential.email ?? ''}`.trim()) : plan.unknown;

describe('scan --verify: where a token may be sent', () => {
  it('a Cloud token: the *.atlassian.net sites named next to it, with the email named there', () => {
    assert.deepStrictEqual(
      destinations(planVerification('atlassian-api-token', 'JIRA_URL=https://Acme.atlassian.net/jira\nJIRA_EMAIL=dev@acme.com', [])),
      ['cloud https://acme.atlassian.net dev@acme.com'],
    );
    assert.match(String(destinations(planVerification('atlassian-api-token', 'https://acme.atlassian.net', []))), /no account email/);
  });

  it('never builds a destination from a URL the file wrote', () => {
    for (const context of [
      'https://acme.atlassian.net.evil.example dev@acme.com',
      'https://evil.example/acme.atlassian.net dev@acme.com',
      'http://acme.atlassian.net dev@acme.com',
      'https://jira.evil.example dev@acme.com',
    ])
      assert.match(String(destinations(planVerification('atlassian-api-token', context, []))), /^not sent/, context);
    // A userinfo trick still goes to the site only: the URL is built from the label.
    assert.deepStrictEqual(
      destinations(planVerification('atlassian-api-token', 'https://acme.atlassian.net@evil.example dev@acme.com', [])),
      ['cloud https://acme.atlassian.net dev@acme.com'],
    );
    // A PAT goes to the hosts given, never to one the file names.
    assert.match(String(destinations(planVerification('jira-dc-pat', 'https://jira.evil.example', []))), /^not sent/);
    assert.deepStrictEqual(destinations(planVerification('jira-dc-pat', 'https://jira.evil.example', ['https://jira.example.com'])), [
      'datacenter-pat https://jira.example.com',
    ]);
    assert.match(String(destinations(planVerification('bitbucket-app-password', '', []))), /^not verifiable/);
  });
});
