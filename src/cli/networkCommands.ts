// The commands that talk to a server, bundled apart (dist/cli-check.js) with the HTTP client: `scan` in a
// commit hook does not pay for loading them. See esbuild.js.
export { checkCommand, verifyFindings } from './checkCommand';
export { tokensCommand } from './tokensCommand';
