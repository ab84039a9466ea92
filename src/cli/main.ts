// Entry point of the `jira-token-guard` command (bundled to dist/cli.js). No vscode here: the scanner and
// the credential check are the same core the extension runs.
import { version } from '../../package.json';
import { run } from './run';

// `jira-token-guard scan | head`: a reader that leaves early is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd(), version }).then(
  (code) => {
    // exitCode, not exit(): output written to a pipe must drain first.
    process.exitCode = code;
  },
);
