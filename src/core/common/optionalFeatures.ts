// Features activation can go on without (MCP servers, launch configurations, terminals, the status bar,
// reminders). Each starts in isolation: an API this VS Code lacks, or one that throws when called (a proposed
// API in an older build, a fork's half-done one), marks that feature unavailable, with one line in the log,
// and everything else still starts. No vscode here: tested in plain Node.

export interface FeatureOutcome {
  id: string;
  /** In the user's words: "MCP servers", "launch configurations". */
  title: string;
  available: boolean;
  /** Why not, when unavailable. */
  reason?: string;
  /** True when this VS Code was known not to have it (a version check), false when starting it failed. */
  expected?: boolean;
}

export interface FeatureLog {
  info(line: string): void;
  warn(line: string): void;
}

export class OptionalFeatures {
  private readonly outcomes = new Map<string, FeatureOutcome>();

  constructor(private readonly log: FeatureLog) {}

  /**
   * Starts a feature and returns what `start` made; never throws. With `unsupported` (why this VS Code cannot
   * have it), `start` is not called. A throw from `start` is logged once and leaves the feature unavailable.
   */
  start<T>(id: string, title: string, start: () => T, unsupported?: string): T | undefined {
    if (unsupported) {
      this.outcomes.set(id, { id, title, available: false, reason: unsupported, expected: true });
      this.log.info(`${capitalize(title)}: not available here: ${unsupported}`);
      return undefined;
    }
    try {
      const made = start();
      this.outcomes.set(id, { id, title, available: true });
      return made;
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      this.outcomes.set(id, { id, title, available: false, reason, expected: false });
      this.log.warn(`${capitalize(title)}: could not start, so it is off in this window: ${reason}`);
      return undefined;
    }
  }

  /** Why a feature is unavailable, or undefined when it runs (or was never started). */
  unavailable(id: string): string | undefined {
    const outcome = this.outcomes.get(id);
    return outcome && !outcome.available ? outcome.reason : undefined;
  }

  /** The features that failed to start (not those this VS Code simply lacks). */
  failed(): FeatureOutcome[] {
    return [...this.outcomes.values()].filter((o) => !o.available && !o.expected);
  }

  all(): FeatureOutcome[] {
    return [...this.outcomes.values()];
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
