// The rule records (src/core/scanner/rules/): what each declares is what both scans use, so that a new rule
// is its record plus its test. The byte kernels mark exactly the prefixes the rules declare.
import * as assert from 'assert';
import { RULES, scan } from '../../../../src/core/scanner';
import { RULE_LIST } from '../../../../src/core/scanner/rules';
import { KERNEL_PREFIXES, startsPrefixedToken } from '../../../../src/core/scanner/kernels/anchorBytes';
import { scanBytes } from '../../../../src/core/scanner/byteScan';
import { makeCloudToken } from '../../../support/tokens';

describe('scanner: rules as records', () => {
  it('every rule has a unique id and order, words for SARIF, and at least one anchor', () => {
    const ids = new Set(RULE_LIST.map((r) => r.id));
    const orders = new Set(RULE_LIST.map((r) => r.order));
    assert.strictEqual(ids.size, RULE_LIST.length, 'ids are unique');
    assert.strictEqual(orders.size, RULE_LIST.length, 'orders are unique');
    for (const rule of RULE_LIST) {
      assert.match(rule.id, /^[a-z0-9]+(?:-[a-z0-9]+)*$/, rule.id);
      assert.ok(rule.title.length > 5 && rule.description.length > 30, `${rule.id}: title and description`);
      assert.ok(rule.anchors.length > 0, `${rule.id}: anchors`);
    }
    assert.deepStrictEqual(Object.keys(RULES).sort(), [...ids].sort(), 'RULES (SARIF, docs) lists the records');
  });

  it('the kernels mark exactly the prefixes the rules declare', () => {
    const declared = RULE_LIST.flatMap((r) => r.anchors.flatMap((a) => (a.kind === 'prefix' ? [a.literal] : [])));
    assert.deepStrictEqual([...new Set(declared)].sort(), [...KERNEL_PREFIXES].sort());
    for (const literal of declared) {
      assert.ok(startsPrefixedToken(Buffer.from(`${literal}xxxx`), 0), literal);
      assert.ok(!startsPrefixedToken(Buffer.from(`${literal.slice(0, -1)}_xxxx`), 0), `${literal} cut short`);
    }
  });

  it('a rule reports through the scan, which puts its id on the finding, in both scans', () => {
    const token = makeCloudToken();
    const text = `JIRA_API_TOKEN=${token}\n`;
    const [finding] = scan(text);
    assert.strictEqual(finding.ruleId, 'atlassian-api-token');
    assert.deepStrictEqual(
      scanBytes(Buffer.from(text)).map((f) => f.ruleId),
      ['atlassian-api-token'],
    );
  });
});
