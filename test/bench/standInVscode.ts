// A stand-in for the `vscode` module, for the start-up bench only: just enough for the packaged bundle to
// load and for activate(), a Test Connection and a scan of an opened document to run in plain Node. It is a
// bench harness, not a test double: behaviour is tested in the real extension host (test/integration).
// Anything the extension calls that is not spelled out here is a no-op returning a disposable.

type Listener<T> = (value: T) => unknown;

/** What the probe reads back: calls that would reach a secret or the disk, and the registered commands. */
export const recorded = {
  secretReads: 0,
  fileReads: 0,
  commands: new Map<string, (...args: unknown[]) => unknown>(),
};

export class Disposable {
  static from(...items: Array<{ dispose(): unknown }>): Disposable {
    return new Disposable(() => items.forEach((i) => i.dispose()));
  }
  constructor(private readonly onDispose: () => unknown = () => undefined) {}
  dispose(): void {
    this.onDispose();
  }
}

export class EventEmitter<T> {
  private listeners: Array<Listener<T>> = [];
  readonly event = (listener: Listener<T>): Disposable => {
    this.listeners.push(listener);
    return new Disposable(() => (this.listeners = this.listeners.filter((l) => l !== listener)));
  };
  fire(value: T): void {
    for (const l of [...this.listeners]) l(value);
  }
  dispose(): void {
    this.listeners = [];
  }
}

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly path: string,
  ) {}
  static file(path: string): Uri {
    return new Uri('file', path);
  }
  static parse(value: string): Uri {
    const url = new URL(value);
    return new Uri(url.protocol.replace(/:$/, ''), url.pathname);
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    return new Uri(base.scheme, [base.path, ...parts].join('/'));
  }
  get fsPath(): string {
    return this.path;
  }
  toString(): string {
    return `${this.scheme}://${this.path}`;
  }
}

export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}

export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(a: Position | number, b: Position | number, c?: number, d?: number) {
    this.start = typeof a === 'number' ? new Position(a, b as number) : a;
    this.end = typeof a === 'number' ? new Position(c as number, d as number) : (b as Position);
  }
}

/** Classes the extension constructs: each keeps what it was given. */
class Plain {
  constructor(...args: unknown[]) {
    Object.assign(this, { args });
  }
}
export class TreeItem extends Plain {}
export class ThemeIcon extends Plain {}
export class ThemeColor extends Plain {}
export class MarkdownString extends Plain {
  appendMarkdown(): this {
    return this;
  }
  appendText(): this {
    return this;
  }
}
export class Diagnostic extends Plain {}
export class CodeAction extends Plain {}
export class WorkspaceEdit extends Plain {}
export class CodeActionKind {
  static readonly Empty = new CodeActionKind('');
  static readonly QuickFix = new CodeActionKind('quickfix');
  constructor(readonly value: string) {}
  append(part: string): CodeActionKind {
    return new CodeActionKind(this.value ? `${this.value}.${part}` : part);
  }
}
export class FileSystemError extends Error {}

export const DiagnosticSeverity = { Error: 0, Warning: 1, Information: 2, Hint: 3 };
export const TreeItemCollapsibleState = { None: 0, Collapsed: 1, Expanded: 2 };
export const StatusBarAlignment = { Left: 1, Right: 2 };
export const ProgressLocation = { SourceControl: 1, Window: 10, Notification: 15 };
export const InputBoxValidationSeverity = { Info: 1, Warning: 2, Error: 3 };
export const ConfigurationTarget = { Global: 1, Workspace: 2, WorkspaceFolder: 3 };
export const ExtensionMode = { Production: 1, Development: 2, Test: 3 };
export const EnvironmentVariableMutatorType = { Replace: 1, Append: 2, Prepend: 3 };

/** Any member not listed: `onDid…` is an event, anything else a function returning a permissive object. */
function permissive<T extends object>(known: T): T {
  return new Proxy(known, {
    get(target, name, receiver) {
      if (name in target || typeof name === 'symbol' || name === 'then') return Reflect.get(target, name, receiver);
      return /^on[A-Z]/.test(name) ? new EventEmitter<unknown>().event : () => permissive(new Disposable());
    },
  });
}

export const openDocuments = new EventEmitter<unknown>();
export const textDocuments: unknown[] = [];

export const window = permissive({
  createOutputChannel: () => permissive({ info() {}, warn() {}, error() {}, show() {}, dispose() {} }),
  createTreeView: () => permissive(new Disposable()),
  createStatusBarItem: () => permissive({ show() {}, hide() {}, dispose() {} }),
  withProgress: <R>(_options: unknown, task: (progress: { report(): void }, token: unknown) => Promise<R>) =>
    task({ report() {} }, { isCancellationRequested: false, onCancellationRequested: new EventEmitter<void>().event }),
  showInformationMessage: async () => undefined,
  showWarningMessage: async () => undefined,
  showErrorMessage: async () => undefined,
});

export const workspace = permissive({
  getConfiguration: () =>
    permissive({
      get: <T>(_key: string, fallback?: T) => fallback,
      has: () => false,
      inspect: () => undefined,
      update: async () => undefined,
    }),
  get textDocuments() {
    return textDocuments;
  },
  workspaceFolders: [{ uri: Uri.file('/bench-workspace'), name: 'bench-workspace', index: 0 }] as unknown[] | undefined,
  onDidOpenTextDocument: openDocuments.event,
  fs: permissive({
    readFile: async (): Promise<Uint8Array> => {
      recorded.fileReads++;
      throw new FileSystemError('stand-in: no files');
    },
    stat: async () => {
      recorded.fileReads++;
      throw new FileSystemError('stand-in: no files');
    },
  }),
  createFileSystemWatcher: () => permissive(new Disposable()),
  getWorkspaceFolder: () => undefined,
  asRelativePath: (p: unknown) => String(p),
});

export const languages = permissive({
  createDiagnosticCollection: () => permissive({ set() {}, delete() {}, clear() {}, get: () => [], forEach() {}, dispose() {} }),
  getDiagnostics: () => [],
});

export const commands = permissive({
  registerCommand: (id: string, handler: (...args: unknown[]) => unknown) => {
    recorded.commands.set(id, handler);
    return new Disposable(() => recorded.commands.delete(id));
  },
  executeCommand: async (id: string, ...args: unknown[]) => recorded.commands.get(id)?.(...args),
});

export const debug = permissive({});

export const env = permissive({
  clipboard: permissive({ readText: async () => '', writeText: async () => undefined }),
  openExternal: async () => true,
});
export const extensions = permissive({ getExtension: () => undefined, all: [] });

/** An ExtensionContext with in-memory globalState and secrets; reads of secrets are counted. */
export function extensionContext(state: Record<string, unknown>, secrets: Record<string, string>): unknown {
  const memento = {
    get: <T>(key: string, fallback?: T) => (key in state ? state[key] : fallback),
    update: async (key: string, value: unknown) => void (state[key] = value),
    keys: () => Object.keys(state),
    setKeysForSync() {},
  };
  const secretsChanged = new EventEmitter<{ key: string }>();
  return {
    subscriptions: [] as Array<{ dispose(): unknown }>,
    globalState: memento,
    workspaceState: memento,
    secrets: {
      get: async (key: string) => {
        recorded.secretReads++;
        return secrets[key];
      },
      store: async (key: string, value: string) => void (secrets[key] = value),
      delete: async (key: string) => void delete secrets[key],
      onDidChange: secretsChanged.event,
    },
    environmentVariableCollection: permissive({ persistent: false, clear() {}, replace() {}, delete() {}, forEach() {} }),
    extensionMode: ExtensionMode.Production,
    logUri: Uri.file('/bench-logs'),
    globalStorageUri: Uri.file('/bench-global-storage'),
    extensionUri: Uri.file('/bench-extension'),
  };
}
