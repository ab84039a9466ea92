import * as assert from 'assert';
import { type InventoryToken } from '../../../../src/core/hygiene/tokenInventory';
import { groupByUser, isOrgId, owningConnections } from '../../../../src/core/hygiene/orgTokens';

function orgToken(id: string, label: string, user?: InventoryToken['user']): InventoryToken {
  return { source: 'cloud-org', id, label, ...(user ? { user } : {}), activityKnown: true };
}

const ann = { id: '557058:ann', name: 'Ann', email: 'ann@example.com' };
const bob = { id: '557058:bob', name: 'Bob', email: 'Bob@Example.com' };

describe('organisation tokens in the tree', () => {
  it('accepts an organisation id and refuses anything that could change a URL path', () => {
    assert.ok(isOrgId('a1b2c3d4-0000-4000-8000-000000000001'));
    assert.ok(isOrgId('org-1'));
    for (const bad of ['', 'ab', '../admin', 'org/1', 'org?x=1', 'org 1', 'org:1', '-org', 'x'.repeat(65)]) assert.ok(!isOrgId(bad), bad);
  });

  it('groups tokens by user, users by name and tokens by label', () => {
    const groups = groupByUser([
      orgToken('3', 'zeta', bob),
      orgToken('1', 'CI', ann),
      orgToken('2', 'alpha', bob),
      orgToken('4', 'orphan'),
      orgToken('5', 'beta', ann),
    ]);
    assert.deepStrictEqual(
      groups.map((g) => [g.userId, g.name, g.tokens.map((t) => t.label)]),
      [
        ['', undefined, ['orphan']],
        ['557058:ann', 'Ann', ['beta', 'CI']],
        ['557058:bob', 'Bob', ['alpha', 'zeta']],
      ],
    );
  });

  it('names the stored connections whose email is the token user’s, ignoring case', () => {
    const connections = [
      { label: 'Cloud (Bob)', email: 'bob@example.com' },
      { label: 'Data Center' },
      { label: 'Cloud (Ann)', email: 'ann@example.org' },
    ];
    assert.deepStrictEqual(owningConnections(orgToken('1', 'x', bob), connections), ['Cloud (Bob)']);
    assert.deepStrictEqual(owningConnections(orgToken('2', 'x', ann), connections), []);
    assert.deepStrictEqual(owningConnections(orgToken('3', 'x'), connections), []);
  });
});
