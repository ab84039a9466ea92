// The web bundle alone (a manifest with `browser` and no `main`) in the browser's web-worker extension host.
import * as assert from './assert';
import * as vscode from 'vscode';

const EXTENSION_ID = 'jira-token-guard.jira-token-guard';

describe('web extension host', () => {
  it('runs in the browser: a web UI and no Node process', () => {
    assert.strictEqual(vscode.env.uiKind, vscode.UIKind.Web);
    assert.strictEqual(typeof process, 'undefined');
  });

  it('activates the web bundle of the packaged extension, which has no main entry', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed`);
    const manifest = extension.packageJSON as { main?: string; browser?: string };
    assert.strictEqual(manifest.main, undefined);
    assert.strictEqual(manifest.browser, './dist/web/extension.js');
    await extension.activate();
    assert.ok(extension.isActive);
  });
});
