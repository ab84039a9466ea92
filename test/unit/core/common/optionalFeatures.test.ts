// Optional features start in isolation: whichever one throws, activation completes with every other one, the
// failure is logged once, and the feature says why where it is used. A version check keeps a proposed API
// (one that throws when an extension calls it) from being called at all.
import * as assert from 'assert';
import { OptionalFeatures } from '../../../../src/core/common/optionalFeatures';
import { isAtLeast, unsupportedOn, VERSIONED_APIS } from '../../../../src/core/common/vscodeApis';

/** The optional features activate() starts, in its order. */
const FEATURES = [
  ['terminals', 'tokens in terminals'],
  ['reminders', 'rotation and expiry reminders'],
  ['statusBar', 'the status bar shield'],
  ['terminalCommands', 'tokens in terminals'],
  ['mcp', 'MCP servers'],
  ['debug', 'launch configurations'],
] as const;

function activateWith(throwing: string | undefined) {
  const lines: string[] = [];
  const features = new OptionalFeatures({ info: (l) => lines.push(`info ${l}`), warn: (l) => lines.push(`warn ${l}`) });
  const started: string[] = [];
  for (const [id, title] of FEATURES) {
    features.start(id, title, () => {
      if (id === throwing)
        throw new Error(`MCP configuration providers must be registered in the contributes.modelContextServerCollections`);
      started.push(id);
      return id;
    });
  }
  return { features, started, lines };
}

describe('optional features', () => {
  it('whichever feature throws, every other one starts, and the failure is logged once', () => {
    for (const [id, title] of FEATURES) {
      const { features, started, lines } = activateWith(id);
      assert.deepStrictEqual(
        started,
        FEATURES.map(([f]) => f).filter((f) => f !== id),
        `${id} threw`,
      );
      assert.strictEqual(lines.length, 1, lines.join('\n'));
      assert.match(
        lines[0],
        new RegExp(`^warn ${title.charAt(0).toUpperCase()}.*could not start, so it is off in this window: MCP configuration providers`),
      );
      assert.match(features.unavailable(id) ?? '', /modelContextServerCollections/);
      assert.deepStrictEqual(
        features.failed().map((f) => f.id),
        [id],
      );
    }
  });

  it('a feature this VS Code lacks is not started, is logged once as information, and is not a failure', () => {
    const lines: string[] = [];
    const features = new OptionalFeatures({ info: (l) => lines.push(`info ${l}`), warn: (l) => lines.push(`warn ${l}`) });
    let called = false;
    const made = features.start(
      'mcp',
      'MCP servers',
      () => (called = true),
      'VS Code 1.100.3 is older than 1.101, where this API became final',
    );
    assert.strictEqual(made, undefined);
    assert.strictEqual(called, false, 'the proposed API is never called');
    assert.deepStrictEqual(lines, [
      'info MCP servers: not available here: VS Code 1.100.3 is older than 1.101, where this API became final',
    ]);
    assert.deepStrictEqual(features.failed(), []);
    assert.match(features.unavailable('mcp') ?? '', /1\.101/);
  });

  it('a feature that starts is available and returns what it made', () => {
    const features = new OptionalFeatures({ info: () => undefined, warn: () => undefined });
    assert.strictEqual(
      features.start('debug', 'launch configurations', () => 42),
      42,
    );
    assert.strictEqual(features.unavailable('debug'), undefined);
  });
});

describe('VS Code API versions', () => {
  it('compares versions as releases: a pre-release of the release where an API became final is earlier', () => {
    assert.ok(isAtLeast('1.101.0', '1.101.0'));
    assert.ok(isAtLeast('1.139.1', '1.101.0'));
    assert.ok(isAtLeast('1.101.2', '1.101.0'));
    assert.ok(isAtLeast('2.0.0', '1.101.0'));
    assert.ok(!isAtLeast('1.100.3', '1.101.0'));
    assert.ok(!isAtLeast('1.99.4', '1.101.0'));
    assert.ok(!isAtLeast('1.101.0-insider', '1.101.0'));
    assert.ok(isAtLeast('1.102.0-insider', '1.101.0'));
    assert.ok(!isAtLeast('not a version', '1.101.0'));
    assert.ok(isAtLeast('1.101', '1.101.0'));
  });

  it('keeps the MCP provider from being called before 1.101, where 1.100 has a proposed API that throws', () => {
    assert.match(unsupportedOn(VERSIONED_APIS.mcpServerDefinitions, '1.100.3') ?? '', /older than 1\.101/);
    assert.strictEqual(unsupportedOn(VERSIONED_APIS.mcpServerDefinitions, '1.101.0'), undefined);
  });
});
