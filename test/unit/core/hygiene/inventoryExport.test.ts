import * as assert from 'assert';
import { csvCell, inventoryCsv, inventoryJson, inventoryRows } from '../../../../src/core/hygiene/inventoryExport';
import type { InventorySourceResult } from '../../../../src/core/hygiene/inventoryReader';

const now = new Date('2026-12-01T00:00:00Z');

const sources: InventorySourceResult[] = [
  {
    ok: true,
    connectionId: 'dc',
    connectionLabel: 'DC',
    source: 'datacenter-pat',
    site: 'jira.example.com/jira',
    storedId: '11',
    tokens: [
      {
        source: 'datacenter-pat',
        id: '11',
        label: 'stored',
        createdAt: '2026-01-01T00:00:00.000Z',
        expiresAt: '2027-01-01T00:00:00.000Z',
        activityKnown: false,
      },
      {
        source: 'datacenter-pat',
        id: '12',
        label: '=HYPERLINK("http://evil.example","x")',
        createdAt: '2026-01-01T00:00:00.000Z',
        activityKnown: false,
      },
    ],
  },
  {
    ok: false,
    connectionId: 'dc2',
    connectionLabel: 'DC2',
    source: 'datacenter-pat',
    site: 'dc2.example.com',
    error: 'Jira refused the current token.',
    reason: 'refused',
  },
  {
    ok: true,
    connectionId: 'org',
    connectionLabel: 'Org',
    source: 'cloud-org',
    site: 'organisation o-1',
    tokens: [
      {
        source: 'cloud-org',
        id: 't1',
        label: 'CI, "nightly"',
        user: { id: 'acc-1', name: '@ann', email: 'ann@example.com' },
        createdAt: '2024-01-01T00:00:00.000Z',
        expiresAt: '2026-12-05T00:00:00.000Z',
        lastActiveAt: '2026-11-30T00:00:00.000Z',
        activityKnown: true,
      },
    ],
  },
];

describe('token inventory export', () => {
  it('flags each token; only a Data Center account marks tokens not stored here', () => {
    const rows = inventoryRows(sources, { now, expiresWithinDays: 14 });
    assert.deepStrictEqual(
      rows.map((r) => [r.token.id, r.stored, r.flags]),
      [
        ['11', true, []],
        ['12', false, ['no-expiry', 'not-stored-here']],
        ['t1', false, ['expiring', 'created-before-2024-12-15']],
      ],
    );
  });

  it('quotes CSV cells as RFC 4180 says and defuses cells a spreadsheet would run as formulas', () => {
    assert.strictEqual(csvCell('plain'), 'plain');
    assert.strictEqual(csvCell('a,b'), '"a,b"');
    assert.strictEqual(csvCell('say "hi"'), '"say ""hi"""');
    assert.strictEqual(csvCell('two\nlines'), '"two\nlines"');
    for (const lead of ['=', '+', '-', '@', '\t', '\r'])
      assert.strictEqual(csvCell(`${lead}1+1`).replace(/^"/, '').charAt(0), "'", JSON.stringify(lead));
    assert.strictEqual(csvCell('=cmd|" /C calc"!A0'), `"'=cmd|"" /C calc""!A0"`);
    assert.strictEqual(csvCell('a=b'), 'a=b', 'only a leading character counts');
  });

  it('writes a header row and one CRLF line per token in CSV, and the command line JSON shape plus source and site', () => {
    const rows = inventoryRows(sources, { now, expiresWithinDays: 14 });
    const csv = inventoryCsv(rows);
    const lines = csv.split('\r\n');
    assert.strictEqual(lines[0], 'id,label,user,email,createdAt,expiresAt,lastActiveAt,flags,source,site,stored');
    assert.strictEqual(
      lines[1],
      '11,stored,,,2026-01-01T00:00:00.000Z,2027-01-01T00:00:00.000Z,,,datacenter-pat,jira.example.com/jira,yes',
    );
    assert.strictEqual(
      lines[2],
      `12,"'=HYPERLINK(""http://evil.example"",""x"")",,,2026-01-01T00:00:00.000Z,,,no-expiry not-stored-here,datacenter-pat,jira.example.com/jira,`,
    );
    assert.strictEqual(
      lines[3],
      `t1,"CI, ""nightly""",'@ann,ann@example.com,2024-01-01T00:00:00.000Z,2026-12-05T00:00:00.000Z,2026-11-30T00:00:00.000Z,expiring created-before-2024-12-15,cloud-org,organisation o-1,`,
    );
    assert.strictEqual(lines.length, 5, 'ends with a line break');

    const json = JSON.parse(inventoryJson(rows)) as { tokens: Array<Record<string, unknown>> };
    assert.deepStrictEqual(json.tokens[0], {
      id: '11',
      label: 'stored',
      createdAt: '2026-01-01T00:00:00.000Z',
      expiresAt: '2027-01-01T00:00:00.000Z',
      current: true,
      flags: [],
      source: 'datacenter-pat',
      site: 'jira.example.com/jira',
    });
    assert.deepStrictEqual(json.tokens[2].user, { id: 'acc-1', name: '@ann', email: 'ann@example.com' });
    assert.deepStrictEqual(Object.keys(json.tokens[2]), [
      'id',
      'label',
      'user',
      'createdAt',
      'expiresAt',
      'lastActiveAt',
      'flags',
      'source',
      'site',
    ]);
  });
});
