import * as assert from 'assert';
import { PatApi } from '../../../../src/node/jira';
import { checkCredential } from '../../../../src/node/jira';
import { decodePatId } from '../../../../src/core/tokens/tokenShapes';
import { type FakeJira, fakeConnection, startFakeJira } from '../../../support/fakeJira';
import { makeDataCenterPat } from '../../../support/tokens';

const CONTEXT = '/jira';

describe("PAT inventory: the account's tokens, and revoking exactly a leaked one", () => {
  let fake: FakeJira;
  const lines: string[] = [];
  const api = (): PatApi => new PatApi(fake.url + CONTEXT, { ca: fake.ca, log: (l) => lines.push(l) });
  let stored: string;
  let leaked: string;
  let other: string;

  beforeEach(async () => {
    fake = await startFakeJira({ https: true });
    stored = makeDataCenterPat();
    leaked = makeDataCenterPat();
    other = makeDataCenterPat();
    fake.addDataCenterUser({
      contextPath: CONTEXT,
      username: 'alice',
      pat: stored,
      patName: 'stored here',
      expiringAt: '2027-06-01T00:00:00.000Z',
    });
    fake.addDataCenterUser({
      contextPath: CONTEXT,
      username: 'alice',
      pat: leaked,
      patName: 'old laptop',
      lastAccessedAt: '2026-11-30T08:00:00.000Z',
    });
    fake.addDataCenterUser({ contextPath: CONTEXT, username: 'alice', pat: other, patName: 'CI', lastAccessedAt: null });
    lines.length = 0;
  });
  afterEach(async () => {
    await fake.close();
  });

  const answers = async (pat: string): Promise<string> =>
    (await checkCredential(fakeConnection(fake, 'datacenter-pat', { path: CONTEXT }), pat, fake.checkOptions)).status;

  it('lists every PAT of the account, reading a last-used field only when the server sends one', async () => {
    const listed = await api().list({ pat: stored });
    assert.ok(listed.ok, !listed.ok ? listed.message : '');
    assert.deepStrictEqual(
      listed.tokens.map((t) => [t.id, t.name, t.expiringAt, t.usageReported, t.lastUsedAt]),
      [
        [decodePatId(stored), 'stored here', '2027-06-01T00:00:00.000Z', undefined, undefined],
        [decodePatId(leaked), 'old laptop', undefined, true, '2026-11-30T08:00:00.000Z'],
        [decodePatId(other), 'CI', undefined, true, undefined],
      ],
    );
  });

  it('revokes exactly the leaked PAT by the id it carries: the others still answer 200, the leaked one 401', async () => {
    const result = await api().revokeLeaked({ pat: stored }, leaked);
    assert.deepStrictEqual(result, { ok: true, id: decodePatId(leaked), name: 'old laptop' });
    assert.deepStrictEqual(
      fake.requests.filter((r) => r.method === 'DELETE').map((r) => r.path),
      [`${CONTEXT}/rest/pat/latest/tokens/${decodePatId(leaked)}`],
    );
    assert.strictEqual(await answers(leaked), 'invalid');
    assert.strictEqual(await answers(stored), 'valid');
    assert.strictEqual(await answers(other), 'valid');
    assert.ok(!lines.join('\n').includes(leaked) && !lines.join('\n').includes(stored), 'no PAT in the log');
  });

  it('revokes nothing when the leaked id is not in the account, and says why', async () => {
    const stranger = makeDataCenterPat();
    const result = await api().revokeLeaked({ pat: stored }, stranger);
    assert.ok(!result.ok);
    assert.strictEqual(result.reason, 'not-in-account');
    assert.match(result.message, /nothing was revoked/);
    assert.ok(!result.message.includes(stranger));
    assert.strictEqual(fake.requests.filter((r) => r.method === 'DELETE').length, 0);
    for (const pat of [stored, leaked, other]) assert.strictEqual(await answers(pat), 'valid');
  });

  it('revokes nothing for a string that is not a PAT, without asking Jira', async () => {
    const result = await api().revokeLeaked({ pat: stored }, 'not-a-token-at-all');
    assert.ok(!result.ok);
    assert.strictEqual(result.reason, 'not-a-pat');
    assert.strictEqual(fake.requests.length, 0);
  });

  it('revokes the leaked PAT with itself as the credential', async () => {
    const result = await api().revokeLeaked({ pat: leaked }, leaked);
    assert.ok(result.ok);
    assert.strictEqual(await answers(leaked), 'invalid');
    assert.strictEqual(await answers(stored), 'valid');
  });
});
