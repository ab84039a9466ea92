// What the status bar guard says: the leaked tokens the Problems panel lists plus connections that need the user, one
// count, the lines of its tooltip, and where a click should lead.
import { type Health, needsAttention } from './health';

export type StatusBarMode = 'auto' | 'always' | 'never';
export const STATUS_BAR_MODES: readonly StatusBarMode[] = ['auto', 'always', 'never'];

export interface LeakCount {
  /** How the file is shown (workspace-relative path or name). */
  file: string;
  count: number;
}

export interface ConnectionAttention {
  label: string;
  health: Health;
  /** "expires in 5 days", "rotation due (124 days old)"… */
  description?: string;
}

export interface AttentionSummary {
  visible: boolean;
  /** Leaks plus connections needing attention. */
  count: number;
  leaks: number;
  connections: number;
  /** Codicon text for the item. */
  text: string;
  /** One line per problem, most urgent first. */
  lines: string[];
  /** Leaks dominate: the Problems panel; otherwise the connections tree. */
  target: 'problems' | 'connections';
  severity: 'error' | 'warning' | 'none';
}

export function summarizeAttention(
  leakCounts: readonly LeakCount[],
  connections: readonly ConnectionAttention[],
  mode: StatusBarMode,
): AttentionSummary {
  const files = leakCounts.filter((l) => l.count > 0).sort((a, b) => b.count - a.count || a.file.localeCompare(b.file));
  const leaks = files.reduce((sum, f) => sum + f.count, 0);
  const troubled = connections.filter((c) => needsAttention(c.health));
  const count = leaks + troubled.length;
  const lines = [
    ...files.map((f) => `${f.count} leaked token${f.count === 1 ? '' : 's'} in ${f.file}`),
    ...troubled.map((c) => `${c.label}: ${c.description ?? c.health}`),
  ];
  if (count === 0) lines.push('No leaked tokens in the Problems panel; every connection is fine.');
  return {
    visible: mode === 'always' || (mode === 'auto' && count > 0),
    count,
    leaks,
    connections: troubled.length,
    text: count > 0 ? `$(shield) ${count}` : '$(shield)',
    lines,
    target: leaks > 0 && leaks >= troubled.length ? 'problems' : 'connections',
    severity:
      leaks > 0 || troubled.some((c) => c.health === 'expired' || c.health === 'failing') ? 'error' : count > 0 ? 'warning' : 'none',
  };
}

export function readStatusBarMode(value: unknown): StatusBarMode {
  return (STATUS_BAR_MODES as readonly unknown[]).includes(value) ? (value as StatusBarMode) : 'auto';
}
