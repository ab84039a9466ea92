// Which VS Code API the extension may call, decided by the running version against the release where the API
// became final, as well as by the function being there: an older build (or a fork built from one) can have
// the same function as a proposed API that throws, or behaves otherwise, when an extension calls it. The
// table is CONTRIBUTING's "VS Code versions" table; the compatibility matrix runs on each version named.

export interface VersionedApi {
  /** What is called. */
  api: string;
  /** The first VS Code release where it is final. */
  finalIn: string;
  /** What the extension does on an earlier version. */
  before: string;
}

export const VERSIONED_APIS = {
  mcpServerDefinitions: {
    api: 'vscode.lm.registerMcpServerDefinitionProvider, McpHttpServerDefinition, McpStdioServerDefinition',
    finalIn: '1.101.0',
    before:
      'No MCP server is offered; Offer to MCP says which version it needs. (1.100 has the function as a proposed API that throws for an extension.)',
  },
} as const satisfies Record<string, VersionedApi>;

/** Major, minor, patch and whether it is a pre-release (`1.101.0-insider`), or undefined for text that is no version. */
function parse(version: string): { parts: [number, number, number]; preRelease: boolean } | undefined {
  const match = /^(\d+)\.(\d+)(?:\.(\d+))?(-[0-9A-Za-z.-]+)?/.exec(version.trim());
  if (!match) return undefined;
  return { parts: [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)], preRelease: match[4] !== undefined };
}

/**
 * True when `version` is `minimum` or later. A pre-release of `minimum` itself counts as earlier (semver: an
 * Insiders build before the release may still have the proposed API), and text that is no version as earlier.
 */
export function isAtLeast(version: string, minimum: string): boolean {
  const running = parse(version);
  const wanted = parse(minimum);
  if (!running || !wanted) return false;
  for (let i = 0; i < 3; i++) {
    if (running.parts[i] !== wanted.parts[i]) return running.parts[i] > wanted.parts[i];
  }
  return !running.preRelease;
}

/** Why `api` cannot be used on `version`, or undefined when it can. */
export function unsupportedOn(api: VersionedApi, version: string): string | undefined {
  return isAtLeast(version, api.finalIn)
    ? undefined
    : `VS Code ${version} is older than ${api.finalIn.replace(/\.0$/, '')}, where this API became final`;
}
