// The workspace folders' `.jira-token-guard.json`: the file the command line and the action read, so Scan
// Workspace and the open-file guard report what CI reports. The file is the repository's: read only as a
// regular file under a cap, and in Restricted Mode only what makes the guard stricter counts (stricterOnly:
// no exclusions, no rule off, no inline ignores turned on, no smaller size limit). A file that cannot be read
// or parsed counts for nothing (its reason is kept in `problem`).
import * as vscode from 'vscode';
import { CONFIG_FILE_MAX_BYTES, CONFIG_FILE_NAME, type ProjectConfig, parseProjectConfig, stricterOnly } from '../core/files/projectConfig';
import { GitignoreMatcher } from '../core/files/gitignore';
import { excludeGlobsAsIgnoreLines } from '../core/files/excludeGlobs';
import { utf8Text } from '../core/common/bytes';
import { type DiskAccess, readWorkspaceFile, type WorkspaceFileRead } from './diskAccess';
import { setting } from '../common/config';
import { Disposable } from '../common/lifecycle';

export { CONFIG_FILE_NAME };

/** One folder's configuration as the guard applies it. */
export interface FolderConfig {
  readonly config: ProjectConfig;
  /** Whether a finding of `ruleId` at `relativePath` (to the folder) is reported. */
  reports(relativePath: string, ruleId: string): boolean;
  /** Why the file counts for nothing or for less (unreadable, invalid, keys left out in Restricted Mode). */
  readonly problem?: string;
}

const NONE: FolderConfig = { config: {}, reports: () => true };

export class ProjectConfigs extends Disposable {
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  private folders = new Map<string, FolderConfig>();
  private loaded: Promise<void> | undefined;

  /** `disk`: how files on disk are read (none in the browser: workspace.fs only). */
  constructor(private readonly disk?: DiskAccess) {
    super();
    const watcher = this._register(vscode.workspace.createFileSystemWatcher(`**/${CONFIG_FILE_NAME}`));
    const reload = () => void this.reload();
    this._register(watcher.onDidCreate(reload));
    this._register(watcher.onDidChange(reload));
    this._register(watcher.onDidDelete(reload));
    this._register(vscode.workspace.onDidChangeWorkspaceFolders(reload));
    this._register(vscode.workspace.onDidGrantWorkspaceTrust(reload));
  }

  /** Read once, on first use. */
  ready(): Promise<void> {
    this.loaded ??= this.reload();
    return this.loaded;
  }

  async reload(): Promise<void> {
    const next = new Map<string, FolderConfig>();
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const read = await readWorkspaceFile(vscode.Uri.joinPath(folder.uri, CONFIG_FILE_NAME), CONFIG_FILE_MAX_BYTES, this.disk).catch(
        (): WorkspaceFileRead => ({
          kind: 'not-regular',
        }),
      );
      next.set(folder.uri.toString(), folderConfig(read, setting('maxFileSizeKB', folder.uri) * 1024));
    }
    const key = (map: Map<string, FolderConfig>) => JSON.stringify([...map].map(([uri, f]) => [uri, f.config, f.problem]));
    const same = key(next) === key(this.folders);
    this.folders = next;
    this.loaded ??= Promise.resolve();
    if (!same) this.changed.fire();
  }

  /** The configuration of the folder holding `uri` (none outside the workspace folders). */
  forResource(uri: vscode.Uri): FolderConfig {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    return (folder && this.folders.get(folder.uri.toString())) ?? NONE;
  }

  /** Whether a finding of `ruleId` in `uri` is reported. */
  reports(uri: vscode.Uri, ruleId: string): boolean {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const config = folder && this.folders.get(folder.uri.toString());
    if (!folder || !config) return true;
    const base = folder.uri.path.endsWith('/') ? folder.uri.path : `${folder.uri.path}/`;
    return config.reports(uri.path.startsWith(base) ? uri.path.slice(base.length) : uri.path, ruleId);
  }
}

function folderConfig(read: WorkspaceFileRead, maxFileBytes: number): FolderConfig {
  switch (read.kind) {
    case 'missing':
      return NONE;
    case 'not-regular':
      return { ...NONE, problem: `${CONFIG_FILE_NAME} is not a regular file (a symbolic link, FIFO or device): not read` };
    case 'too-large':
      return { ...NONE, problem: `${CONFIG_FILE_NAME} is larger than ${CONFIG_FILE_MAX_BYTES / 1024} KB: not read` };
  }
  const parsed = parseProjectConfig(utf8Text(read.bytes));
  if (!parsed.ok) return { ...NONE, problem: parsed.error };
  let config = parsed.config;
  let problem: string | undefined;
  if (!vscode.workspace.isTrusted) {
    const restricted = stricterOnly(config, maxFileBytes);
    config = restricted.config;
    if (restricted.dropped.length)
      problem = `Restricted Mode: ${CONFIG_FILE_NAME} may only make the guard stricter; left out: ${restricted.dropped.join(', ')}`;
  }
  const rulesOff = new Set<string>(config.rulesOff ?? []);
  const matcher = config.exclude?.length
    ? new GitignoreMatcher().add('', excludeGlobsAsIgnoreLines(config.exclude), `${CONFIG_FILE_NAME} "exclude"`)
    : undefined;
  return {
    config,
    problem,
    reports: (relativePath, ruleId) => !rulesOff.has(ruleId) && !(matcher?.ignores(relativePath) ?? false),
  };
}
