// "Find Where This Token Is Used": the places where a connection's token appears, by value: workspace
// files (the files the workspace scan reads, with the same ignores), `.env*` files in the workspace (often
// git-ignored, so looked at on their own), the well-known files in the home folder, and the extra paths of
// a setting. Only reads; the token is never shown, logged or written.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { type Connection, connectionUser } from '../core/connections/connection';
import { linesContaining, tokenForms } from '../core/hygiene/tokenUses';
import { expandHome, findTokenInFiles, wellKnownTokenPlaces } from '../node/tokenPlaces';
import { isProbablyBinary } from '../core/scanner';
import { ALWAYS_SKIPPED_DIRS } from '../core/files/gitignore';
import { setting } from '../common/config';

export interface TokenUseLocation {
  uri: vscode.Uri;
  /** 1-based. */
  line: number;
  /** 'workspace' or 'home' (outside the workspace). */
  where: 'workspace' | 'home';
}

export interface WorkspaceFiles {
  candidateFiles(cancel?: vscode.CancellationToken): Promise<vscode.Uri[]>;
}

const READ_CONCURRENCY = 8;

export class TokenUseFinder {
  constructor(
    private readonly workspaceFiles: WorkspaceFiles,
    private readonly home: () => string,
  ) {}

  async find(connection: Connection, token: string, cancel?: vscode.CancellationToken): Promise<TokenUseLocation[]> {
    const forms = tokenForms(token, connectionUser(connection));
    const [inWorkspace, outside] = await Promise.all([this.inWorkspace(forms, cancel), this.outsideWorkspace(forms)]);
    return [...inWorkspace, ...outside];
  }

  private async inWorkspace(forms: string[], cancel?: vscode.CancellationToken): Promise<TokenUseLocation[]> {
    if (!vscode.workspace.workspaceFolders?.length) return [];
    const candidates = await this.workspaceFiles.candidateFiles(cancel);
    const skipped = `**/{${[...ALWAYS_SKIPPED_DIRS].join(',')}}/**`;
    const dotenv = await vscode.workspace.findFiles('**/.env*', skipped, undefined, cancel);
    const files = [...new Map([...candidates, ...dotenv].map((uri) => [uri.toString(), uri])).values()];
    const maxBytes = setting('maxFileSizeKB') * 1024;
    const inside = await workspaceContainment();
    const found: TokenUseLocation[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < files.length && !cancel?.isCancellationRequested) {
        const uri = files[next++];
        // A link (or a folder link above the file) leading out of the workspace is not followed.
        if (!(await inside(uri))) continue;
        for (const line of await this.linesIn(uri, forms, maxBytes)) found.push({ uri, line, where: 'workspace' });
      }
    };
    await Promise.all(Array.from({ length: READ_CONCURRENCY }, worker));
    return found.sort((a, b) => a.uri.toString().localeCompare(b.uri.toString()) || a.line - b.line);
  }

  private async linesIn(uri: vscode.Uri, forms: string[], maxBytes: number): Promise<number[]> {
    try {
      // An open editor's text is what the user sees, saved or not.
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      if (open) return linesContaining(open.getText(), forms);
      const stat = await vscode.workspace.fs.stat(uri);
      // Regular files only: a FIFO named .env would never finish reading; a link is not followed.
      if (!(stat.type & vscode.FileType.File) || stat.type & vscode.FileType.SymbolicLink || stat.size > maxBytes) return [];
      const bytes = await vscode.workspace.fs.readFile(uri);
      return isProbablyBinary(bytes) ? [] : linesContaining(Buffer.from(bytes).toString('utf8'), forms);
    } catch {
      return [];
    }
  }

  private async outsideWorkspace(forms: string[]): Promise<TokenUseLocation[]> {
    const home = this.home();
    const extra = setting('tokenUseExtraPaths')
      .filter((p): p is string => typeof p === 'string' && p.trim() !== '')
      .map((p) => expandHome(p, home));
    const workspaceRoots = (vscode.workspace.workspaceFolders ?? [])
      .filter((f) => f.uri.scheme === 'file')
      .map((f) => f.uri.fsPath + path.sep);
    // A file inside a workspace folder is reported once, as a workspace file.
    const places = [...wellKnownTokenPlaces(home), ...extra].filter((file) => !workspaceRoots.some((root) => file.startsWith(root)));
    const uses = await findTokenInFiles(places, forms);
    return uses.flatMap(({ file, lines }) => lines.map((line) => ({ uri: vscode.Uri.file(file), line, where: 'home' as const })));
  }
}

/**
 * A test of whether a file really lies inside a workspace folder, its links resolved: search.followSymlinks
 * (on by default) lets the file search walk through a folder link to anywhere on the disk.
 */
async function workspaceContainment(): Promise<(uri: vscode.Uri) => Promise<boolean>> {
  const roots: string[] = [];
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    if (folder.uri.scheme !== 'file') continue;
    try {
      roots.push((await fs.promises.realpath(folder.uri.fsPath)) + path.sep);
    } catch {
      // a folder that is gone holds nothing
    }
  }
  return async (uri) => {
    if (uri.scheme !== 'file') return true; // virtual file systems have no links to the local disk
    try {
      const real = await fs.promises.realpath(uri.fsPath);
      return roots.some((root) => real.startsWith(root));
    } catch {
      return false;
    }
  };
}

/** How a place is shown: relative to the workspace, or `~/…` for the home folder; never the token. */
export function describePlace(location: Pick<TokenUseLocation, 'uri' | 'line'>, home: string): string {
  const file =
    location.uri.scheme === 'file' && location.uri.fsPath.startsWith(home + path.sep)
      ? `~${path.sep}${path.relative(home, location.uri.fsPath)}`
      : vscode.workspace.asRelativePath(location.uri, true);
  return `${file}:${location.line}`;
}
