import * as assert from 'assert';
import { buildAuditReport, type Recommendation, type RecommendationCode } from '../../../../src/core/hygiene/audit';
import { type Connection } from '../../../../src/core/connections/connection';
import { type HealthPolicy } from '../../../../src/core/hygiene/health';
import { type WorkspaceScanSummary } from '../../../../src/core/findings/scanSummary';
import { fingerprintOf } from '../../../../src/core/tokens/tokenShapes';
import { makeCloudToken, makeDataCenterPat } from '../../../support/tokens';

const now = new Date('2026-11-27T12:00:00Z');
const policy: HealthPolicy = { now, expiryWarningDays: 14, rotationDays: 90 };
const days = (n: number) => new Date(now.getTime() + n * 86_400_000).toISOString();
const checked = (status: 'valid' | 'invalid' = 'valid', message = 'The token works.') => ({
  status,
  message,
  durationMs: 5,
  checkedAt: days(-1),
});

/** A connection that deserves no recommendation: scoped, checked, recent, with an expiry. */
const healthy: Connection = {
  id: 'healthy',
  label: 'Healthy',
  kind: 'cloud-scoped',
  baseUrl: 'https://good.atlassian.net',
  email: 'a@good.com',
  createdAt: days(-10),
  expiresAt: days(200),
  lastCheck: checked(),
};

function codesFor(recommendations: Recommendation[], id: string): RecommendationCode[] {
  return recommendations.filter((r) => r.connectionIds.includes(id)).map((r) => r.code);
}

const noScanFindings: WorkspaceScanSummary = { scannedAt: days(0), scannedFiles: 10, skippedFiles: 0, findings: [] };

describe('audit report', () => {
  it('has nothing to recommend for healthy connections after a clean scan', () => {
    const report = buildAuditReport({
      policy,
      connections: [healthy],
      fingerprints: new Map([['healthy', 'f'.repeat(64)]]),
      scan: noScanFindings,
    });
    assert.deepStrictEqual(report.recommendations, []);
    assert.match(report.markdown, /Nothing to do/);
    assert.match(
      report.markdown,
      /\| Healthy \| Cloud scoped API token \| a@good\.com \| https:\/\/good\.atlassian\.net \| 10 days \| due in 80 days \| 2027-06-15 \(expires in 200 days\) \| 2026-11-26 \| valid \|/,
    );
  });

  it('draws each recommendation from the data', () => {
    const connections: Connection[] = [
      healthy,
      { ...healthy, id: 'unscoped', label: 'Unscoped', kind: 'cloud', baseUrl: 'https://u.atlassian.net' },
      { id: 'pat', label: 'PAT', kind: 'datacenter-pat', baseUrl: 'https://jira.example.com', createdAt: days(-5), lastCheck: checked() },
      {
        id: 'basic',
        label: 'Basic',
        kind: 'datacenter-basic',
        baseUrl: 'https://jira.example.com',
        username: 'me',
        createdAt: days(-5),
        lastCheck: checked(),
      },
      { ...healthy, id: 'never', label: 'Never', lastCheck: undefined },
      { ...healthy, id: 'failing', label: 'Failing', lastCheck: checked('invalid', 'Jira refused the token.') },
      { ...healthy, id: 'expiring', label: 'Expiring', expiresAt: days(3) },
      { ...healthy, id: 'expiringOld', label: 'Expiring old', expiresAt: days(3), createdAt: days(-200) },
      { ...healthy, id: 'expired', label: 'Expired', expiresAt: days(-2), createdAt: days(-400) },
      { ...healthy, id: 'old', label: 'Old', createdAt: days(-124) },
      { ...healthy, id: 'noexpiry', label: 'No expiry', expiresAt: undefined },
      { ...healthy, id: 'imported', label: 'Imported', tokenMissing: true, lastCheck: undefined },
      { ...healthy, id: 'twinA', label: 'Twin A' },
      { ...healthy, id: 'twinB', label: 'Twin B' },
    ];
    const shared = fingerprintOf(makeCloudToken());
    const fingerprints = new Map(connections.filter((c) => !c.tokenMissing).map((c) => [c.id, fingerprintOf(c.id)]));
    fingerprints.set('twinA', shared).set('twinB', shared);
    const { recommendations, markdown } = buildAuditReport({ policy, connections, fingerprints, scan: noScanFindings });

    assert.deepStrictEqual(codesFor(recommendations, 'healthy'), []);
    assert.deepStrictEqual(codesFor(recommendations, 'unscoped'), ['create-scoped-token']);
    assert.deepStrictEqual(codesFor(recommendations, 'pat'), ['recreate-with-expiry']);
    assert.deepStrictEqual(codesFor(recommendations, 'basic'), ['switch-to-pat']);
    assert.deepStrictEqual(codesFor(recommendations, 'never'), ['check-or-remove']);
    assert.deepStrictEqual(codesFor(recommendations, 'failing'), ['fix-or-remove']);
    assert.deepStrictEqual(codesFor(recommendations, 'expiring'), ['replace-expiring']);
    assert.deepStrictEqual(codesFor(recommendations, 'expiringOld'), ['replace-expiring'], 'replacing it is its rotation');
    assert.deepStrictEqual(codesFor(recommendations, 'expired'), ['replace-expired'], 'an expired token is replaced, not rotated');
    assert.deepStrictEqual(codesFor(recommendations, 'old'), ['rotate']);
    assert.deepStrictEqual(codesFor(recommendations, 'noexpiry'), ['record-expiry']);
    assert.deepStrictEqual(codesFor(recommendations, 'imported'), ['give-token']);
    const twins = recommendations.find((r) => r.code === 'one-token-per-purpose')!;
    assert.deepStrictEqual(twins.connectionIds, ['twinA', 'twinB']);
    assert.match(twins.text, /“Twin A” and “Twin B” use the same token/);

    assert.deepStrictEqual([...new Set(recommendations.map((r) => r.priority))], ['high', 'medium', 'low'], 'most urgent first');
    assert.match(markdown, /the token expired 2 days ago/);
    assert.match(markdown, /the token expires in 3 days/);
    assert.match(markdown, /the token is 124 days old \(rotation every 90\)/);
    assert.match(markdown, /\| Imported \|.*\| token missing \|/);
    assert.match(markdown, /\| Failing \|.*\| invalid: Jira refused the token\. \|/);
    assert.ok(!markdown.includes(shared), 'fingerprints of stored tokens are compared, not printed');
  });

  it('lists scan findings by file and line with 8 characters of the fingerprint, and names live tokens', () => {
    const liveToken = makeDataCenterPat();
    const live = fingerprintOf(liveToken);
    const stray = fingerprintOf(makeCloudToken());
    const scan: WorkspaceScanSummary = {
      scannedAt: days(0),
      scannedFiles: 42,
      skippedFiles: 3,
      findings: [
        { file: 'src/b.ts', line: 7, ruleId: 'atlassian-api-token', fingerprint: stray, confidence: 'high' },
        { file: 'deploy/a|b.sh', line: 3, ruleId: 'jira-dc-pat', fingerprint: live, confidence: 'high' },
      ],
    };
    const pat: Connection = {
      id: 'pat',
      label: 'Prod PAT',
      kind: 'datacenter-pat',
      baseUrl: 'https://jira.example.com',
      createdAt: days(-1),
      expiresAt: days(90),
      lastCheck: checked(),
    };
    const { recommendations, markdown } = buildAuditReport({ policy, connections: [pat], fingerprints: new Map([['pat', live]]), scan });
    assert.deepStrictEqual(
      recommendations.map((r) => r.code),
      ['revoke-leaked', 'remove-leaks'],
    );
    assert.deepStrictEqual(recommendations[0].connectionIds, ['pat']);
    assert.match(recommendations[0].text, /live token of “Prod PAT” is written in `deploy\/a\|b\.sh:3`/);
    assert.match(recommendations[1].text, /1 hardcoded token in `src\/b\.ts:7`/);
    assert.match(markdown, /42 files scanned, 3 skipped, 2 findings/);
    assert.ok(markdown.indexOf('deploy/a\\|b.sh') < markdown.indexOf('| src/b.ts'), 'sorted by file, pipes escaped in cells');
    assert.ok(markdown.includes(`| \`${live.slice(0, 8)}\` | high | Prod PAT |`));
    assert.ok(markdown.includes(`| \`${stray.slice(0, 8)}\` | high | — |`));
    for (const fp of [live, stray]) assert.ok(!markdown.includes(fp.slice(0, 9)), 'never more than 8 characters of a fingerprint');
    assert.ok(!markdown.includes(liveToken));
  });

  it('suggests a scan when there was none, and escapes user text', () => {
    const odd: Connection = { ...healthy, label: 'Evil | *label* <img src=x> [x](http://e)' };
    const { recommendations, markdown } = buildAuditReport({ policy, connections: [odd], fingerprints: new Map() });
    assert.deepStrictEqual(
      recommendations.map((r) => r.code),
      ['scan-workspace'],
    );
    assert.match(markdown, /No workspace scan in this session/);
    assert.ok(markdown.includes('| Evil \\| \\*label\\* \\<img src=x\\> \\[x\\](http://e) |'));
  });

  it('gives advice about the kind of token once for all the connections it fits, and not to failing ones', () => {
    const connections: Connection[] = [
      { ...healthy, id: 'a', label: 'A', kind: 'cloud', expiresAt: undefined },
      { ...healthy, id: 'b', label: 'B', kind: 'cloud', expiresAt: undefined },
      {
        ...healthy,
        id: 'broken',
        label: 'Broken',
        kind: 'cloud',
        expiresAt: undefined,
        lastCheck: checked('invalid', 'Jira refused the token.'),
      },
    ];
    const fingerprints = new Map(connections.map((c) => [c.id, fingerprintOf(c.id)]));
    const { recommendations } = buildAuditReport({ policy, connections, fingerprints, scan: noScanFindings });
    const scoped = recommendations.filter((r) => r.code === 'create-scoped-token');
    assert.strictEqual(scoped.length, 1);
    assert.deepStrictEqual(scoped[0].connectionIds, ['a', 'b']);
    assert.match(scoped[0].text, /^“A” and “B” use unscoped API tokens/);
    assert.deepStrictEqual(codesFor(recommendations, 'broken'), ['fix-or-remove'], 'a failing token is fixed first');
  });

  it('respects rotation turned off', () => {
    const old: Connection = { ...healthy, createdAt: days(-500) };
    const { recommendations, markdown } = buildAuditReport({
      policy: { ...policy, rotationDays: 0 },
      connections: [old],
      fingerprints: new Map(),
      scan: noScanFindings,
    });
    assert.deepStrictEqual(recommendations, []);
    assert.match(markdown, /\| 500 days \| off \|/);
  });
  it('lists each account’s tokens with their flags, the stored one marked, an unreadable source as one line, and the alerts', () => {
    const dc: Connection = { ...healthy, id: 'dc', label: 'DC', kind: 'datacenter-pat', baseUrl: 'https://jira.example.com/jira' };
    const report = buildAuditReport({
      policy,
      connections: [healthy, dc],
      fingerprints: new Map(),
      scan: noScanFindings,
      inventory: {
        sources: [
          {
            ok: true,
            connectionId: 'dc',
            connectionLabel: 'DC',
            source: 'datacenter-pat',
            site: 'jira.example.com/jira',
            storedId: '1',
            tokens: [],
          },
          {
            ok: false,
            connectionId: 'dc2',
            connectionLabel: 'DC two',
            source: 'datacenter-pat',
            site: 'dc2.example.com',
            error: 'Jira refused the current token.',
            reason: 'refused',
          },
        ],
        rows: [
          {
            token: { source: 'datacenter-pat', id: '1', label: 'mine', createdAt: days(-10), expiresAt: days(100), activityKnown: false },
            flags: [],
            stored: true,
            connectionId: 'dc',
            source: 'datacenter-pat',
            site: 'jira.example.com/jira',
          },
          {
            token: { source: 'datacenter-pat', id: '2', label: 'a|b *bold*', createdAt: days(-400), activityKnown: true },
            flags: ['never-used', 'no-expiry', 'not-stored-here'],
            stored: false,
            connectionId: 'dc',
            source: 'datacenter-pat',
            site: 'jira.example.com/jira',
          },
        ],
        noticed: [
          {
            alert: { kind: 'new', id: '2', label: 'a|b *bold*' },
            connectionId: 'dc',
            connectionLabel: 'DC',
            site: 'jira.example.com/jira',
            at: days(0),
          },
        ],
      },
    });
    const md = report.markdown;
    assert.ok(md.indexOf('## Tokens in the accounts and organisations') < md.indexOf('## Workspace scan'));
    assert.match(md, /^### DC \(Data Center account, jira\.example\.com\/jira\)$/m);
    assert.match(md, /^\| mine \(id 1\) — \*\*stored here\*\* \| — \| 2026-11-17 \| 2027-03-07 \| not reported \| — \|$/m);
    assert.match(
      md,
      /^\| a\\\|b \\\*bold\\\* \(id 2\) \| — \| 2025-10-23 \| never \| never \| `never-used`, `no-expiry`, `not-stored-here` \|$/m,
    );
    assert.match(md, /^- \*\*DC two\*\* \(Data Center account, dc2\.example\.com\): could not be read: Jira refused the current token\.$/m);
    assert.match(
      md,
      /^### Since the last look\n\n- 2026-11-27 12:00 UTC: New token “a\|b \\\*bold\\\*” \(id 2\) on jira\.example\.com\/jira\.$/m,
    );
  });
});
