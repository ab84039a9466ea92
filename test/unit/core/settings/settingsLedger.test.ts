// The settings guard's rules: which changes weaken the guard, how a level is reviewed against what the user
// accepted, and what stays in force while a weakening change waits for the user.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import {
  describeSettingValue,
  GUARDED_SETTINGS,
  guardedSetting,
  levelValueInForce,
  readLedger,
  reviewLevel,
} from '../../../../src/core/settings/settingsLedger';

const REPO = path.resolve(__dirname, '..', '..', '..', '..', '..');

const rule = (key: string) => {
  const found = guardedSetting(key);
  assert.ok(found, key);
  return found;
};

describe('settings ledger', () => {
  it('names what weakens the guard, setting by setting', () => {
    const weakens = (key: string, from: unknown, to: unknown) => rule(key).weakens(from, to);
    assert.ok(weakens('leakDetection', true, false));
    assert.ok(!weakens('leakDetection', false, true));
    assert.ok(weakens('leakSeverity', 'warning', 'hint'));
    assert.ok(!weakens('leakSeverity', 'warning', 'information'), 'still in the Problems panel');
    assert.ok(weakens('inlineIgnores', false, true), 'comments may hide tokens again');
    assert.ok(!weakens('inlineIgnores', true, false));
    assert.ok(weakens('maxFileSizeKB', 2048, 1));
    assert.ok(!weakens('maxFileSizeKB', 2048, 4096));
    assert.ok(weakens('statusBar', 'auto', 'never'));
    assert.ok(!weakens('statusBar', 'never', 'always'));
    assert.ok(weakens('rotationDays', 90, 0) && weakens('rotationDays', 90, 365));
    assert.ok(!weakens('rotationDays', 90, 30) && !weakens('rotationDays', 0, 30));
    assert.ok(weakens('expiryWarningDays', 14, 0) && !weakens('expiryWarningDays', 14, 30));
    assert.ok(weakens('rotationMaxExpiryDays', 90, 3650) && !weakens('rotationMaxExpiryDays', 90, 30));
    assert.ok(weakens('allowUnattendedTokenChanges', false, true) && !weakens('allowUnattendedTokenChanges', true, false));
    assert.ok(weakens('tokenActivity.alertInterval', 'daily', 'off') && weakens('tokenActivity.alertInterval', 'daily', 'weekly'));
    assert.ok(weakens('tokenActivity.alertInterval', 'weekly', 'off'), 'alerts turned off');
    assert.ok(!weakens('tokenActivity.alertInterval', 'off', 'weekly') && !weakens('tokenActivity.alertInterval', 'weekly', 'daily'));
  });

  it('counts any gateway but Atlassian’s own as a new destination for credentials', () => {
    const gateway = rule('cloudGatewayUrl');
    assert.ok(gateway.weakens('https://api.atlassian.com', 'https://evil.example'));
    assert.ok(gateway.weakens('http://127.0.0.1:3000', 'http://127.0.0.1:4000'), 'another port is another origin');
    assert.ok(!gateway.weakens('https://evil.example', 'https://api.atlassian.com'), 'back to Atlassian');
    assert.ok(!gateway.weakens('https://api.atlassian.com', 'https://api.atlassian.com/'), 'the same origin');
    assert.match(gateway.consequence('https://evil.example/x'), /sent to https:\/\/evil\.example instead/);
  });

  it('counts any admin API but Atlassian’s own as a new destination for an organisation’s admin key', () => {
    const adminApi = rule('adminApiUrl');
    assert.ok(adminApi.weakens('https://api.atlassian.com', 'https://evil.example'));
    assert.ok(adminApi.weakens('http://127.0.0.1:3000', 'http://127.0.0.1:4000'), 'another port is another origin');
    assert.ok(!adminApi.weakens('https://evil.example', 'https://api.atlassian.com'), 'back to Atlassian');
    assert.match(adminApi.consequence('https://evil.example/x'), /admin API keys would be sent to https:\/\/evil\.example instead/);
  });

  it('reviews a level against what was accepted there, or the default when it was never seen', () => {
    const detection = rule('leakDetection');
    assert.deepStrictEqual(reviewLevel(detection, true, undefined, undefined), { kind: 'same' });
    assert.deepStrictEqual(reviewLevel(detection, true, true, undefined), { kind: 'accept' });
    assert.deepStrictEqual(reviewLevel(detection, true, false, undefined), { kind: 'ask', from: true, to: false });
    assert.deepStrictEqual(reviewLevel(detection, true, false, { value: false }), { kind: 'same' }, 'confirmed earlier');
    // Removing a user's `false` for inline ignores is a weakening too (unset means the default, true).
    assert.deepStrictEqual(reviewLevel(rule('inlineIgnores'), true, undefined, { value: false }), { kind: 'ask', from: false, to: true });
  });

  it('keeps the accepted value in force while a weakening change waits, and the new one otherwise', () => {
    const detection = rule('leakDetection');
    assert.strictEqual(levelValueInForce(detection, true, false, undefined), undefined, 'never set: the default');
    assert.strictEqual(levelValueInForce(detection, true, false, { value: true }), true);
    assert.strictEqual(levelValueInForce(detection, true, true, { value: false }), true, 'a strengthening change counts at once');
  });

  it('reads a damaged or foreign ledger as empty, and keeps only guarded keys', () => {
    assert.strictEqual(readLedger(undefined), undefined);
    assert.strictEqual(readLedger({ version: 2, accepted: {} }), undefined);
    assert.deepStrictEqual(readLedger({ version: 1, accepted: { leakDetection: { global: { value: false } }, other: { global: {} } } }), {
      version: 1,
      accepted: { leakDetection: { global: { value: false } } },
    });
  });

  it('shows a value as escaped, bounded data in the question', () => {
    assert.strictEqual(describeSettingValue('https://a.example\u202e\u001b[2J'), '"https://a.example\\u202e\\u001b[2J"');
    assert.ok(describeSettingValue('x'.repeat(1000)).length <= 200);
    assert.strictEqual(describeSettingValue(undefined), 'unset');
  });

  it('guards only settings the manifest declares', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, unknown> } };
    };
    for (const setting of GUARDED_SETTINGS)
      assert.ok(`jiraTokenGuard.${setting.key}` in manifest.contributes.configuration.properties, setting.key);
  });
});
