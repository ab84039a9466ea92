// SARIF 2.1.0 for findings, shaped for GitHub code scanning: one rule per scanner rule, results with a
// relative location under %SRCROOT%, `level` from the confidence, and the secret's fingerprint (SHA-256,
// never the secret) in `partialFingerprints` so an alert follows the token when lines move.
import { RULES, type RuleId } from '../scanner';
import { type CommitRef, type ReportedFinding } from './reportedFinding';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
/** Key of the fingerprint in `partialFingerprints`; versioned as SARIF recommends. */
export const SARIF_FINGERPRINT_KEY = 'secretSha256/v1';

export type SarifLevel = 'error' | 'warning' | 'note';
type Confidence = ReportedFinding['confidence'];

export interface SarifTool {
  name: string;
  version: string;
  informationUri?: string;
}

export interface SarifOptions {
  /** Absolute file: URI of the scanned root, ending in '/'; lets viewers resolve the relative paths. */
  rootUri?: string;
}

// Minimal typings of the parts we write.
export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: SarifRun[];
}

export interface SarifRun {
  tool: { driver: SarifDriver };
  originalUriBaseIds?: Record<string, { uri: string }>;
  columnKind: 'utf16CodeUnits';
  results: SarifResult[];
}

interface SarifDriver {
  name: string;
  version: string;
  semanticVersion: string;
  informationUri?: string;
  rules: SarifRule[];
}

interface SarifRule {
  id: RuleId;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  defaultConfiguration: { level: SarifLevel };
  properties: { tags: string[]; precision: string; 'security-severity': string };
}

export interface SarifResult {
  ruleId: RuleId;
  ruleIndex: number;
  level: SarifLevel;
  message: { text: string };
  locations: Array<{
    physicalLocation: {
      artifactLocation: { uri: string; uriBaseId: '%SRCROOT%' };
      region: { startLine: number; startColumn: number; endLine: number; endColumn: number };
    };
  }>;
  partialFingerprints: Record<string, string>;
  /** History scans: the other places the same secret was added. */
  relatedLocations?: SarifRelatedLocation[];
  /** History scans: the commit that first added the secret. */
  properties?: { commit?: string; author?: string; date?: string; alsoAddedIn?: number; verification?: { status: string; reason: string } };
}

interface SarifRelatedLocation {
  id: number;
  physicalLocation: {
    artifactLocation: { uri: string; uriBaseId: '%SRCROOT%' };
    region: { startLine: number; startColumn: number };
  };
  message: { text: string };
}

export function levelOf(confidence: Confidence): SarifLevel {
  return confidence === 'high' ? 'error' : confidence === 'medium' ? 'warning' : 'note';
}

/** GitHub ranks security alerts by this score (0-10): a live credential is critical. */
const SECURITY_SEVERITY: Record<Confidence, string> = { high: '9.0', medium: '7.0', low: '4.0' };

const HELP =
  'Revoke the token where it was issued (https://id.atlassian.com/manage-profile/security/api-tokens for Jira Cloud, ' +
  'the profile page of Jira Data Center for a personal access token), remove it from the file and from history, and ' +
  'load it from a secret store or an environment variable instead. If the finding is a deliberate test value, add its ' +
  'fingerprint to .jira-token-guard-ignore.';

export function buildSarif(findings: readonly ReportedFinding[], tool: SarifTool, options: SarifOptions = {}): SarifLog {
  const ruleIds = Object.keys(RULES) as RuleId[];
  const rules: SarifRule[] = ruleIds.map((id) => {
    const rule = RULES[id];
    return {
      id,
      name: pascalCase(id),
      shortDescription: { text: rule.title },
      fullDescription: { text: rule.description },
      help: { text: HELP, markdown: HELP },
      defaultConfiguration: { level: levelOf(rule.defaultConfidence) },
      properties: {
        tags: ['security', 'secret', 'external/cwe/cwe-798'],
        precision: rule.defaultConfidence,
        'security-severity': SECURITY_SEVERITY[rule.defaultConfidence],
      },
    };
  });
  const results: SarifResult[] = findings.map((f) => ({
    ruleId: f.ruleId,
    ruleIndex: ruleIds.indexOf(f.ruleId),
    level: levelOf(f.confidence),
    message: {
      text: `${f.message} (${f.redacted})${f.verification ? ` Verification: ${f.verification.status} (${f.verification.reason})` : ''}${f.introducedIn ? ` First added in commit ${f.introducedIn.commit} (${f.introducedIn.date})${f.alsoAddedIn?.length ? `, and in ${f.alsoAddedIn.length} more place${f.alsoAddedIn.length === 1 ? '' : 's'} since` : ''}.` : ''}`,
    },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: relativeUri(f.file), uriBaseId: '%SRCROOT%' },
          region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
        },
      },
    ],
    partialFingerprints: { [SARIF_FINGERPRINT_KEY]: f.fingerprint },
    ...(f.introducedIn ? historyParts(f, f.introducedIn) : {}),
  }));
  // `scan --verify`: the verdict beside the commit (if any) in the result's properties.
  findings.forEach((f, index) => {
    if (f.verification)
      results[index].properties = {
        ...results[index].properties,
        verification: { status: f.verification.status, reason: f.verification.reason },
      };
  });
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: tool.name,
            version: tool.version,
            semanticVersion: tool.version,
            ...(tool.informationUri ? { informationUri: tool.informationUri } : {}),
            rules,
          },
        },
        ...(options.rootUri ? { originalUriBaseIds: { '%SRCROOT%': { uri: options.rootUri } } } : {}),
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

/** Where a history finding came from: the first commit as properties, the others as related locations. */
function historyParts(f: ReportedFinding, first: CommitRef): Pick<SarifResult, 'properties' | 'relatedLocations'> {
  const others = f.alsoAddedIn ?? [];
  return {
    properties: { commit: first.commit, author: first.author, date: first.date, alsoAddedIn: others.length },
    ...(others.length
      ? {
          relatedLocations: others.map((o, i) => ({
            id: i + 1,
            physicalLocation: {
              artifactLocation: { uri: relativeUri(o.file), uriBaseId: '%SRCROOT%' as const },
              region: { startLine: o.line, startColumn: o.column },
            },
            message: { text: `Also added in commit ${o.commit} (${o.date}) by ${o.author}` },
          })),
        }
      : {}),
  };
}

/** A relative path as a URI reference: each segment percent-encoded, '/' kept. */
export function relativeUri(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function pascalCase(id: string): string {
  return id
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
