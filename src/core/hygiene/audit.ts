// The token audit: a Markdown report of every connection, what the last workspace scan found, and what to
// do about it, drawn from the data. Pure: the command gathers the inputs and shows the text. It never holds
// a secret: connections carry none, and token fingerprints (SHA-256) are only compared, or shown as their
// first 8 characters for scan findings.
import { type Connection, connectionUser, isCloudKind } from '../connections/connection';
import { KIND_LABELS } from '../connections/kindLabels';
import {
  connectionHealth,
  daysUntilExpiry,
  describeExpiry,
  hasPreExpiryCloudToken,
  type Health,
  type HealthPolicy,
  PRE_EXPIRY_CLOUD_TOKENS,
  tokenAgeDays,
} from './health';
import { type WorkspaceScanFinding, type WorkspaceScanSummary } from '../findings/scanSummary';
import { formatDate, plural } from '../common/text';
import type { InventorySourceResult } from './inventoryReader';
import type { InventoryRow } from './inventoryExport';
import { describeAlert, type NoticedAlert } from './activityAlerts';

export interface AuditInput {
  policy: HealthPolicy;
  connections: readonly Connection[];
  /** SHA-256 fingerprint of each stored token, by connection id (connections without a token are absent). */
  fingerprints: ReadonlyMap<string, string>;
  /** The last workspace scan of this session, if any. */
  scan?: WorkspaceScanSummary;
  /** The token inventory of the accounts and organisations, when any connection has one. */
  inventory?: AuditInventory;
}

export interface AuditInventory {
  sources: readonly InventorySourceResult[];
  /** The tokens read, with their flags. */
  rows: readonly InventoryRow[];
  /** The alerts of this session's looks (Check Token Activity), oldest first. */
  noticed: readonly NoticedAlert[];
}

export type RecommendationCode =
  | 'give-token'
  | 'revoke-leaked'
  | 'remove-leaks'
  | 'replace-expired'
  | 'fix-or-remove'
  | 'one-token-per-purpose'
  | 'replace-expiring'
  | 'rotate'
  | 'check-or-remove'
  | 'create-scoped-token'
  | 'recreate-with-expiry'
  | 'switch-to-pat'
  | 'record-expiry'
  | 'scan-workspace';

export type Priority = 'high' | 'medium' | 'low';

export interface Recommendation {
  code: RecommendationCode;
  priority: Priority;
  /** The connections it is about (empty for workspace-wide advice). */
  connectionIds: string[];
  /** One or two sentences of Markdown. */
  text: string;
}

export interface AuditReport {
  markdown: string;
  recommendations: Recommendation[];
}

const PRIORITY_ORDER: Record<Priority, number> = { high: 0, medium: 1, low: 2 };

export function buildAuditReport(input: AuditInput): AuditReport {
  const { policy } = input;
  const connections = [...input.connections].sort((a, b) => a.label.localeCompare(b.label));
  const health = new Map(connections.map((c) => [c.id, connectionHealth(c, policy)]));
  const recommendations = sortRecommendations([
    ...groupPolicyAdvice(
      connections.flatMap((c) => connectionRecommendations(c, health.get(c.id)!, policy)),
      connections,
    ),
    ...sharedTokenRecommendations(connections, input.fingerprints),
    ...scanRecommendations(input.scan, connections, input.fingerprints),
  ]);

  const lines: string[] = [];
  lines.push('# Jira token audit', '');
  lines.push(
    `Generated ${formatDateTime(policy.now)} · ${plural(connections.length, 'connection')} · ` +
      `rotation every ${policy.rotationDays > 0 ? plural(policy.rotationDays, 'day') : '— (off)'} · ` +
      `expiry warning ${plural(policy.expiryWarningDays, 'day')} ahead`,
    '',
  );

  lines.push('## Recommendations', '');
  if (recommendations.length === 0) {
    lines.push(
      'Nothing to do: every token is checked, scoped, set to expire and rotated on time, and the last workspace scan found no leak.',
      '',
    );
  } else {
    recommendations.forEach((r, i) => lines.push(`${i + 1}. **${capitalize(r.priority)}** — ${r.text}`));
    lines.push('');
  }

  lines.push('## Connections', '');
  if (connections.length === 0) {
    lines.push('No connections yet. Add one with **Jira Token Guard: Add Connection**.', '');
  } else {
    lines.push('| Connection | Kind | User | Site | Token age | Rotation | Expiry | Last check | Verdict |');
    lines.push('|---|---|---|---|---|---|---|---|---|');
    for (const c of connections) {
      const age = tokenAgeDays(c, policy.now);
      lines.push(
        '| ' +
          [
            cell(c.label),
            KIND_LABELS[c.kind].short,
            cell(connectionUser(c) ?? '—'),
            cell(c.baseUrl),
            plural(age, 'day'),
            describeRotation(c, policy),
            c.expiresAt
              ? `${formatDate(c.expiresAt)} (${describeExpiry(c, policy.now)})`
              : hasPreExpiryCloudToken(c)
                ? `by ${formatDate(PRE_EXPIRY_CLOUD_TOKENS.expiredBy.toISOString())} (${describeExpiry(c, policy.now)})`
                : 'none set',
            c.lastCheck ? formatDate(c.lastCheck.checkedAt) : 'never',
            cell(describeVerdict(c, health.get(c.id)!)),
          ].join(' | ') +
          ' |',
      );
    }
    lines.push('');
  }

  if (input.inventory) lines.push(...inventorySection(input.inventory));

  lines.push('## Workspace scan', '');
  const scan = input.scan;
  if (!scan) {
    lines.push(
      'No workspace scan in this session. Run **Jira Token Guard: Scan Workspace for Leaked Tokens** and audit again to include leaked tokens here.',
      '',
    );
  } else {
    lines.push(
      `Scanned ${formatDateTime(new Date(scan.scannedAt))}: ${plural(scan.scannedFiles, 'file')} scanned, ${scan.skippedFiles} skipped, ` +
        `${plural(scan.findings.length, 'finding')}.`,
      '',
    );
    if (scan.findings.length > 0) {
      const owners = ownersByFingerprint(connections, input.fingerprints);
      lines.push('| File | Line | Rule | Fingerprint | Confidence | Stored as |', '|---|---|---|---|---|---|');
      for (const f of sortFindings(scan.findings)) {
        const owner = owners.get(f.fingerprint);
        lines.push(
          `| ${cell(f.file)} | ${f.line} | ${code(f.ruleId).replace(/\|/g, '\\|')} | ${code(shortFingerprint(f.fingerprint))} | ${f.confidence} | ${owner ? cell(owner.map((c) => c.label).join(', ')) : '—'} |`,
        );
      }
      lines.push('');
    }
  }

  lines.push(
    '---',
    '',
    '*This report holds no token or password. Fingerprints are the first 8 characters of the SHA-256 hash of a token.*',
    '',
  );
  return { markdown: lines.join('\n'), recommendations };
}

/** Every token of each account and organisation, with its flags, the stored one marked; then the alerts. */
function inventorySection(inventory: AuditInventory): string[] {
  const lines: string[] = ['## Tokens in the accounts and organisations', ''];
  const sources = [...inventory.sources].sort((a, b) => a.connectionLabel.localeCompare(b.connectionLabel));
  if (sources.length === 0) lines.push('No connection lists its tokens (Data Center PAT connections do).', '');
  for (const source of sources) {
    // An organisation's site already says "organisation <id>".
    const where = source.source === 'cloud-org' ? inline(source.site) : `Data Center account, ${inline(source.site)}`;
    if (!source.ok) {
      lines.push(`- **${inline(source.connectionLabel)}** (${where}): could not be read: ${inline(source.error)}`, '');
      continue;
    }
    lines.push(`### ${inline(source.connectionLabel)} (${where})`, '');
    const rows = inventory.rows.filter((r) => r.connectionId === source.connectionId);
    if (rows.length === 0) {
      lines.push('No tokens.', '');
      continue;
    }
    lines.push('| Token | User | Created | Expires | Last active | Flags |', '|---|---|---|---|---|---|');
    for (const { token, flags, stored } of rows) {
      const user = token.user ? `${token.user.name ?? token.user.id}${token.user.email ? ` (${token.user.email})` : ''}` : '—';
      const lastActive = !token.activityKnown ? 'not reported' : token.lastActiveAt ? formatDate(token.lastActiveAt) : 'never';
      lines.push(
        '| ' +
          [
            `${cell(token.label || '(no name)')} (id ${cell(token.id)})${stored ? ' — **stored here**' : ''}`,
            cell(user),
            token.createdAt ? formatDate(token.createdAt) : '—',
            token.expiresAt ? formatDate(token.expiresAt) : 'never',
            lastActive,
            flags.length ? flags.map((f) => code(f)).join(', ') : '—',
          ].join(' | ') +
          ' |',
      );
    }
    lines.push('');
  }
  if (inventory.noticed.length > 0) {
    lines.push('### Since the last look', '');
    for (const noticed of inventory.noticed)
      lines.push(`- ${formatDateTime(new Date(noticed.at))}: ${describeAlert(noticed, (text) => `“${inline(text)}”`, inline)}`);
    lines.push('');
  }
  return lines;
}

function connectionRecommendations(c: Connection, health: Health, policy: HealthPolicy): Recommendation[] {
  const name = `“${inline(c.label)}”`;
  const ids = [c.id];
  const out: Recommendation[] = [];
  const add = (code: RecommendationCode, priority: Priority, text: string) => out.push({ code, priority, connectionIds: ids, text });
  const expiresIn = daysUntilExpiry(c, policy.now);

  if (health === 'token-missing') {
    add(
      'give-token',
      'high',
      `${name} has no token yet (imported): give it one with **Replace Token**, or remove the connection if you do not need it.`,
    );
    return out;
  }
  if (health === 'expired') {
    add(
      'replace-expired',
      'high',
      `${name}: the token ${expiresIn !== undefined && expiresIn <= 0 ? describeExpiry(c, policy.now) : 'has expired'}. Create a new one on the token page and use **Replace Token**.`,
    );
  } else if (health === 'failing') {
    add(
      'fix-or-remove',
      'high',
      `${name}: the last check failed (${inline((c.lastCheck?.message ?? 'unknown reason').replace(/\.$/, ''))}). Check it again, replace the token, or remove the connection if it is no longer used.`,
    );
  } else if (!c.lastCheck) {
    add('check-or-remove', 'medium', `${name} has never been checked: run **Test Connection**, or remove it if it is no longer used.`);
  }
  if (health === 'expiring') {
    add(
      'replace-expiring',
      'medium',
      `${name}: the token ${describeExpiry(c, policy.now)}. Create its successor now and use **Replace Token** before it stops working.`,
    );
  }
  // Replacing an expired or expiring token is its rotation: one recommendation is enough.
  if (policy.rotationDays > 0 && health !== 'expired' && health !== 'expiring') {
    const age = tokenAgeDays(c, policy.now);
    if (age >= policy.rotationDays) {
      add(
        'rotate',
        'medium',
        `${name}: the token is ${age} days old (rotation every ${policy.rotationDays}). Create a new one, **Replace Token**, then revoke the old one.`,
      );
    }
  }
  // Advice about the kind of token waits until the token works: fixing it comes first.
  if (health === 'failing' || health === 'expired') return out;
  const advise = (code: PolicyAdviceCode) => add(code, POLICY_ADVICE[code].priority, POLICY_ADVICE[code].text([c]));
  if (c.kind === 'cloud') advise('create-scoped-token');
  if (c.kind === 'datacenter-pat' && !c.expiresAt) advise('recreate-with-expiry');
  if (c.kind === 'datacenter-basic') advise('switch-to-pat');
  if (isCloudKind(c.kind) && !c.expiresAt && !hasPreExpiryCloudToken(c)) advise('record-expiry');
  return out;
}

type PolicyAdviceCode = 'create-scoped-token' | 'recreate-with-expiry' | 'switch-to-pat' | 'record-expiry';

/** Advice that reads the same for every connection it applies to, so the report gives it once for all of them. */
const POLICY_ADVICE: Record<PolicyAdviceCode, { priority: Priority; text: (connections: readonly Connection[]) => string }> = {
  'create-scoped-token': {
    priority: 'medium',
    text: (cs) =>
      `${listNames(cs)} ${cs.length > 1 ? 'use unscoped API tokens' : 'uses an unscoped API token'}, which can do everything your Atlassian account can. Create API tokens with scopes limited to what each connection needs and use them instead.`,
  },
  'recreate-with-expiry': {
    priority: 'medium',
    text: (cs) =>
      `${listNames(cs)}: the Personal Access Token${cs.length > 1 ? 's never expire' : ' never expires'}. Recreate ${cs.length > 1 ? 'them' : 'it'} with an expiry date (Jira profile › Personal Access Tokens) and use **Replace Token**.`,
  },
  'switch-to-pat': {
    priority: 'medium',
    text: (cs) =>
      `${listNames(cs)} ${cs.length > 1 ? 'authenticate' : 'authenticates'} with a user name and password. Switch to Personal Access Tokens: they can expire and be revoked without changing your password.`,
  },
  'record-expiry': {
    priority: 'low',
    text: (cs) =>
      `${listNames(cs)}: the expiry date is not recorded. Copy it from the token page with **Edit Connection** so you are reminded before ${cs.length > 1 ? 'they stop' : 'it stops'} working.`,
  },
};

function groupPolicyAdvice(recommendations: Recommendation[], connections: readonly Connection[]): Recommendation[] {
  const byId = new Map(connections.map((c) => [c.id, c]));
  const grouped = new Map<PolicyAdviceCode, string[]>();
  const rest: Recommendation[] = [];
  for (const r of recommendations) {
    if (r.code in POLICY_ADVICE)
      grouped.set(r.code as PolicyAdviceCode, [...(grouped.get(r.code as PolicyAdviceCode) ?? []), ...r.connectionIds]);
    else rest.push(r);
  }
  for (const [code, ids] of grouped) {
    const group = ids.map((id) => byId.get(id)!);
    rest.push({ code, priority: POLICY_ADVICE[code].priority, connectionIds: ids, text: POLICY_ADVICE[code].text(group) });
  }
  return rest;
}

function sharedTokenRecommendations(connections: readonly Connection[], fingerprints: ReadonlyMap<string, string>): Recommendation[] {
  const groups = new Map<string, Connection[]>();
  for (const c of connections) {
    const fp = fingerprints.get(c.id);
    if (fp) groups.set(fp, [...(groups.get(fp) ?? []), c]);
  }
  return [...groups.values()]
    .filter((g) => g.length > 1)
    .map((g) => ({
      code: 'one-token-per-purpose' as const,
      priority: 'high' as const,
      connectionIds: g.map((c) => c.id),
      text: `${listNames(g)} use the same token. Create one token per purpose, so each can be revoked alone, and replace all but one.`,
    }));
}

function scanRecommendations(
  scan: WorkspaceScanSummary | undefined,
  connections: readonly Connection[],
  fingerprints: ReadonlyMap<string, string>,
): Recommendation[] {
  if (!scan) {
    return [
      {
        code: 'scan-workspace',
        priority: 'low',
        connectionIds: [],
        text: 'Scan the workspace for leaked tokens (**Scan Workspace for Leaked Tokens**) and audit again.',
      },
    ];
  }
  const owners = ownersByFingerprint(connections, fingerprints);
  const out: Recommendation[] = [];
  const unknown: WorkspaceScanFinding[] = [];
  const live = new Map<string, WorkspaceScanFinding[]>();
  for (const f of sortFindings(scan.findings)) {
    if (owners.has(f.fingerprint)) live.set(f.fingerprint, [...(live.get(f.fingerprint) ?? []), f]);
    else unknown.push(f);
  }
  for (const [fp, found] of live) {
    const owner = owners.get(fp)!;
    out.push({
      code: 'revoke-leaked',
      priority: 'high',
      connectionIds: owner.map((c) => c.id),
      text: `The live token of ${listNames(owner)} is written in ${places(found)}. Revoke it, create a new one, **Replace Token**, and make the file read \`JIRA_API_TOKEN\` from the environment (**Use in Terminals**).`,
    });
  }
  if (unknown.length > 0) {
    out.push({
      code: 'remove-leaks',
      priority: 'high',
      connectionIds: [],
      text: `${plural(unknown.length, 'hardcoded token')} in ${places(unknown)}. Remove ${unknown.length === 1 ? 'it' : 'them'} from the files (and history), revoke ${unknown.length === 1 ? 'it' : 'them'} if ${unknown.length === 1 ? 'it was' : 'they were'} ever shared, and read tokens from the environment instead.`,
    });
  }
  return out;
}

function ownersByFingerprint(connections: readonly Connection[], fingerprints: ReadonlyMap<string, string>): Map<string, Connection[]> {
  const owners = new Map<string, Connection[]>();
  for (const c of connections) {
    const fp = fingerprints.get(c.id);
    if (fp) owners.set(fp, [...(owners.get(fp) ?? []), c]);
  }
  return owners;
}

function sortRecommendations(list: Recommendation[]): Recommendation[] {
  return list
    .map((r, i) => ({ r, i }))
    .sort((a, b) => PRIORITY_ORDER[a.r.priority] - PRIORITY_ORDER[b.r.priority] || a.i - b.i)
    .map(({ r }) => r);
}

function sortFindings(findings: readonly WorkspaceScanFinding[]): WorkspaceScanFinding[] {
  return [...findings].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

function describeRotation(c: Connection, policy: HealthPolicy): string {
  if (policy.rotationDays <= 0) return 'off';
  const left = policy.rotationDays - tokenAgeDays(c, policy.now);
  if (left > 0) return `due in ${plural(left, 'day')}`;
  return left === 0 ? 'due today' : `overdue by ${plural(-left, 'day')}`;
}

function describeVerdict(c: Connection, health: Health): string {
  if (health === 'token-missing') return 'token missing';
  if (!c.lastCheck) return 'not checked yet';
  return c.lastCheck.status === 'valid' ? 'valid' : `${c.lastCheck.status}: ${c.lastCheck.message}`;
}

/** "a.ts:3, b.ts:10 and 2 more" */
function places(findings: readonly WorkspaceScanFinding[]): string {
  const shown = findings.slice(0, 3).map((f) => code(`${f.file}:${f.line}`));
  return findings.length > 3 ? `${shown.join(', ')} and ${findings.length - 3} more` : shown.join(', ');
}

function listNames(connections: readonly Connection[]): string {
  const names = connections.map((c) => `“${inline(c.label)}”`);
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

export function shortFingerprint(fingerprint: string): string {
  return fingerprint.slice(0, 8);
}

/** A code span: backslash escapes do not work inside one, so backticks and line breaks are dropped. */
function code(text: string): string {
  return `\`${text.replace(/[`\r\n]/g, '')}\``;
}

/** Text inside a table cell: no line breaks, pipes escaped, Markdown specials neutralised. */
function cell(text: string): string {
  return inline(text).replace(/\|/g, '\\|');
}

/** User text inside Markdown prose: one line, no emphasis, links or HTML. */
function inline(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[\\`*_[\]<>#]/g, '\\$&');
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function formatDateTime(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
