import * as assert from 'assert';
import { parseProjectConfig, sizeInBytes, stricterOnly } from '../../../../src/core/files/projectConfig';

describe('.jira-token-guard.json (core: parse and trust)', () => {
  it('parses every key of a JSONC file', () => {
    const result = parseProjectConfig(`{
      // the team's settings
      "$schema": "x",
      "exclude": ["test/**"],
      "rules": { "jira-dc-pat": "off", "atlassian-api-token": "on" },
      "inlineIgnores": false,
      "reportUnverified": true,
      "maxFileSize": "2MB",
      "verifyHosts": ["https://jira.example.com/jira/"],
    }`);
    assert.deepStrictEqual(result, {
      ok: true,
      config: {
        exclude: ['test/**'],
        rulesOff: ['jira-dc-pat'],
        inlineIgnores: false,
        reportUnverified: true,
        maxFileBytes: 2 * 1024 * 1024,
        verifyHosts: ['https://jira.example.com/jira'],
      },
    });
    assert.deepStrictEqual(parseProjectConfig(''), { ok: true, config: {} });
  });

  it('names an unknown key', () => {
    const result = parseProjectConfig('{ "verify_hosts": [] }');
    assert.ok(!result.ok && /unknown key "verify_hosts"/.test(result.error));
  });

  it('in an untrusted workspace keeps only what makes the guard stricter', () => {
    const parsed = parseProjectConfig(
      '{ "exclude": ["**"], "rules": { "jira-dc-pat": "off" }, "inlineIgnores": true, "reportUnverified": false, "maxFileSize": "1KB", "verifyHosts": ["https://evil.example"] }',
    );
    assert.ok(parsed.ok);
    assert.deepStrictEqual(stricterOnly(parsed.config, 2048 * 1024), {
      config: {},
      dropped: ['exclude', 'rules', 'verifyHosts', 'inlineIgnores', 'reportUnverified', 'maxFileSize'],
    });
    const stricter = parseProjectConfig('{ "inlineIgnores": false, "reportUnverified": true, "maxFileSize": "8MB" }');
    assert.ok(stricter.ok);
    assert.deepStrictEqual(stricterOnly(stricter.config, 2048 * 1024), {
      config: { inlineIgnores: false, reportUnverified: true, maxFileBytes: 8 * 1024 * 1024 },
      dropped: [],
    });
  });

  it('reads sizes as --max-file-size does', () => {
    assert.deepStrictEqual(['2048', '512k', '4MB', '100b', '0', 'x'].map(sizeInBytes), [
      2048 * 1024,
      512 * 1024,
      4 * 1024 ** 2,
      100,
      undefined,
      undefined,
    ]);
  });
});
