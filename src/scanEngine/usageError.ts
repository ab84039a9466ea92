// A problem with how a scan was asked for or with what it could read (a missing --ignore-file, a repository
// git refuses): the command line prints it on one line and exits 2; the editor shows it as it is.

const USAGE_ERROR = Symbol.for('jira-token-guard.usageError');

/** A problem with how the command was called or what it could read: exit code 2, one line on stderr. */
export class UsageError extends Error {
  readonly [USAGE_ERROR] = true;

  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }

  // `check` is a bundle of its own (dist/cli-check.js) with its own copy of this class: recognised by brand.
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as { [USAGE_ERROR]?: unknown })[USAGE_ERROR] === true;
  }
}
