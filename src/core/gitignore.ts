// .gitignore semantics for workspace and command-line scans, with nested .gitignore files applying to
// their own folder. Matching itself is the `ignore` package (the one ESLint and others rely on).
import ignore, { Ignore } from 'ignore';

interface ScopedIgnore {
  /** Folder of the .gitignore, relative to the root, '' for the root, always with '/' separators. */
  dir: string;
  rules: Ignore;
}

export class GitignoreMatcher {
  private readonly scopes: ScopedIgnore[] = [];

  /** Adds the rules of `<dir>/.gitignore` (dir relative to the root, '' for the root). */
  add(dir: string, content: string): this {
    const normalized = dir.replace(/\\/g, '/').replace(/^\.?\/+|\/+$/g, '');
    this.scopes.push({ dir: normalized, rules: ignore({ allowRelativePaths: true }).add(content) });
    // Deeper files are consulted last so their rules (and negations) win, as in git.
    this.scopes.sort((a, b) => a.dir.split('/').length - b.dir.split('/').length);
    return this;
  }

  /** True when the path (relative to the root, '/' separators) is ignored, itself or through a folder. */
  ignores(relativePath: string, isDirectory = false): boolean {
    const path = relativePath.replace(/\\/g, '/').replace(/^\.?\/+/, '');
    const parts = path.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const prefix = parts.slice(0, i).join('/');
      const asDirectory = i < parts.length || isDirectory;
      if (this.matches(prefix, asDirectory)) return true;
    }
    return false;
  }

  private matches(path: string, isDirectory: boolean): boolean {
    let ignored = false;
    for (const scope of this.scopes) {
      if (scope.dir && path !== scope.dir && !path.startsWith(`${scope.dir}/`)) continue;
      const relative = scope.dir ? path.slice(scope.dir.length + 1) : path;
      if (!relative) continue;
      const result = scope.rules.test(isDirectory ? `${relative}/` : relative);
      if (result.ignored) ignored = true;
      else if (result.unignored) ignored = false;
    }
    return ignored;
  }
}

/** Folders no scan wants by default. */
export const ALWAYS_SKIPPED_DIRS = new Set(['.git', 'node_modules']);
