// Dispatches a command line to its command and turns every failure into an exit code with a one-line
// reason: 2 for usage and read errors; never a stack trace, never a token.
import { escapeControls } from '../core/common/text';
import { EXIT_ERROR, EXIT_OK, UsageError } from './args';
import { MAIN_HELP } from './help';
import { type CliIo } from './io';

type Command = (args: string[], io: CliIo) => Promise<number>;

// Loaded on use: `check` and `tokens` bring the HTTP client, which a scan in a commit hook should not pay for.
const COMMANDS: Record<string, () => Promise<Command>> = {
  scan: async () => (await import('./scanCommand')).scanCommand,
  check: async () => (await import('./networkCommands')).checkCommand,
  tokens: async () => (await import('./networkCommands')).tokensCommand,
  ignore: async () => (await import('./ignoreCommand')).ignoreCommand,
};

export async function run(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === '--version' || command === '-V' || command === '-v') {
      io.stdout.write(`${io.version}\n`);
      return EXIT_OK;
    }
    if (command === '--help' || command === '-h' || command === 'help') {
      const topic = command === 'help' ? rest[0] : undefined;
      if (topic && Object.prototype.hasOwnProperty.call(COMMANDS, topic)) return await (await COMMANDS[topic]())(['--help'], io);
      io.stdout.write(MAIN_HELP);
      return EXIT_OK;
    }
    if (command === undefined) {
      io.stderr.write(MAIN_HELP);
      return EXIT_ERROR;
    }
    // Not repeated: a token pasted as the first argument would otherwise land in the terminal and CI logs.
    if (!Object.prototype.hasOwnProperty.call(COMMANDS, command))
      throw new UsageError('unknown command: use scan, check, tokens or ignore (see jira-token-guard --help)');
    return await (
      await COMMANDS[command]()
    )(rest, io);
  } catch (error) {
    const reason = error instanceof UsageError ? error.message : `unexpected error (${errorName(error)})`;
    io.stderr.write(`jira-token-guard: ${escapeControls(reason.split('\n')[0])}\n`);
    return EXIT_ERROR;
  }
}

/** An unexpected error's code or class, never its message: messages quote paths and values. */
function errorName(error: unknown): string {
  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
  if (typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(code)) return code;
  return typeof name === 'string' && /^[A-Za-z]{1,40}$/.test(name) ? name : 'error';
}
