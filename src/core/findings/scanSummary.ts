// What the last workspace scan found, as other features (audit, status bar) read it. No secrets:
// positions, rule ids and fingerprints only.
export interface WorkspaceScanFinding {
  /** Workspace-relative path (or URI string for files outside the workspace). */
  file: string;
  /** 1-based. */
  line: number;
  ruleId: string;
  fingerprint: string;
  confidence: 'high' | 'medium' | 'low';
}

export interface WorkspaceScanSummary {
  scannedAt: string;
  scannedFiles: number;
  skippedFiles: number;
  findings: WorkspaceScanFinding[];
}

/**
 * The progress `increment` for the files done since the last report: VS Code adds increments up, so each
 * report gives only its own share (in percent of all files).
 */
export function progressIncrement(reported: number, done: number, total: number): number {
  return total > 0 ? ((done - reported) * 100) / total : 0;
}
