// Entry point of the `jira-token-guard` command (bundled to dist/cli.js). No vscode here: the scanner and
// the credential check are the same core the extension runs.
import { version } from '../../package.json';
import { EXIT_ERROR } from './args';
import { run } from './run';

// `jira-token-guard scan | head`: a reader that leaves early is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd(), version };
run(process.argv.slice(2), io).then(
  (code) => {
    // exitCode, not exit(): output written to a pipe must drain first.
    process.exitCode = code;
  },
  () => {
    // run() turns every failure into a one-line reason; this only catches writing that reason failing.
    // Node's default would print a stack trace.
    process.exitCode = EXIT_ERROR;
  },
);
