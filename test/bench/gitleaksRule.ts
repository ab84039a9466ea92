// gitleaks' Atlassian rule as its detect loop runs it: the lower-cased keyword prefilter, then the
// generated regex and the entropy check. The in-memory scanner bench and the reference process share it.

// gitleaks config/atlassian.go, as generated into gitleaks.toml:
//   (?i)[\w.-]{0,50}?(?:(?-i:ATLASSIAN|[Aa]tlassian)|(?-i:CONFLUENCE|[Cc]onfluence)|(?-i:JIRA|[Jj]ira))
//   (?:[ \t\w.-]{0,20})[\s'"]{0,3}(?:=|>|:{1,3}=|\|\||:|=>|\?=|,)[\x60'"\s=]{0,5}([a-z0-9]{20}[a-f0-9]{4})
//   (?:[\x60'"\s;]|\\[nr]|$)|\b(ATATT3[A-Za-z0-9_\-=]{186})(?:[\x60'"\s;]|\\[nr]|$)
// Node 20 has no inline flags, so the leading (?i) (which in RE2 holds across the top-level `|`) is
// spelled out as case classes, the (?-i:…) groups stay case-sensitive, and \s is RE2's ASCII [\t\n\f\r ].
const S = String.raw`\t\n\f\r `;
const GITLEAKS_END = String.raw`(?:[\x60'"${S};]|\\[nr]|$)`;
export const GITLEAKS_ATLASSIAN = new RegExp(
  String.raw`[\w.-]{0,50}?(?:ATLASSIAN|[Aa]tlassian|CONFLUENCE|[Cc]onfluence|JIRA|[Jj]ira)(?:[ \t\w.-]{0,20})[${S}'"]{0,3}(?:=|>|:{1,3}=|\|\||:|=>|\?=|,)[\x60'"${S}=]{0,5}([a-zA-Z0-9]{20}[a-fA-F0-9]{4})` +
    GITLEAKS_END +
    String.raw`|\b([Aa][Tt][Aa][Tt][Tt]3[A-Za-z0-9_\-=]{186})` +
    GITLEAKS_END,
  'g',
);
const GITLEAKS_KEYWORDS = ['atlassian', 'confluence', 'jira', 'atatt3'];

/** Offsets of the matches gitleaks would report in `text` (keyword prefilter, regex, entropy > 3.5). */
export function gitleaksAtlassianMatches(text: string): number[] {
  const lower = text.toLowerCase();
  if (!GITLEAKS_KEYWORDS.some((keyword) => lower.includes(keyword))) return [];
  const found: number[] = [];
  for (const match of text.matchAll(GITLEAKS_ATLASSIAN)) if (entropy(match[1] ?? match[2]) > 3.5) found.push(match.index ?? 0);
  return found;
}

export function gitleaksAtlassian(text: string): number {
  return gitleaksAtlassianMatches(text).length;
}

function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / value.length) * Math.log2(n / value.length);
  return bits;
}
