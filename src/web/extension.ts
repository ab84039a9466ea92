// The composition root in the browser (vscode.dev, github.dev, code-server's web worker): the parts that need
// only core and the vscode API. No Node here: the bundle is built for `platform: 'browser'` and fails on a Node import.
import type * as vscode from 'vscode';

export function activate(_context: vscode.ExtensionContext): void {}

export function deactivate(): void {}
