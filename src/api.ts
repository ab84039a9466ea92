// The public API: what activate() returns to every other extension (vscode.extensions.getExtension(…).exports).
// It is deliberately empty of capability: no store, no token, password, Basic header or fingerprint, no
// connection list, no setter. Other extensions reach the features only through the commands, which ask
// the user before a credential moves (see docs/security.md, "The boundary").
// Versioning: `apiVersion` changes only on an incompatible change; members may be added within a version.

export const API_VERSION = 1;

export interface JiraTokenGuardApi {
  /** The version of this interface. */
  readonly apiVersion: typeof API_VERSION;
}

export function createPublicApi(): JiraTokenGuardApi {
  return Object.freeze({ apiVersion: API_VERSION });
}
