// Argument parsing on Node's own util.parseArgs (no dependency), with errors turned into one-line
// usage errors.
import { parseArgs } from 'util';
import { UsageError } from '../scanEngine/usageError';

export { UsageError };

export const EXIT_OK = 0;
/** Findings (scan) or a verdict other than `valid` (check). */
export const EXIT_FOUND = 1;
/** Usage or read error. */
export const EXIT_ERROR = 2;

type OptionSpecs = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

export interface Parsed {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

export function parseCommandLine(args: string[], options: OptionSpecs, allowPositionals: boolean): Parsed {
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals, strict: true });
    return { values: values as Parsed['values'], positionals };
  } catch (error) {
    throw new UsageError(parseErrorMessage(error));
  }
}

/**
 * Never quotes what was typed beyond an option name of our own form: an argument may be a token pasted
 * in the wrong place, and usage errors end up in CI logs.
 */
function parseErrorMessage(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  // Node quotes the option as '--format <value>' or '-h, --help': the last name is the long one.
  const named = (/'([^']*)'/.exec(message ?? '')?.[1] ?? '')
    .split(/[\s,]+/)
    .filter((part) => part.startsWith('-'))
    .pop();
  const option = named && PLAIN_OPTION.test(named) ? named : undefined;
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return option ? `unknown option ${option} (see --help)` : 'unknown option (not repeated here; see --help)';
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return 'this command takes no arguments, only options (a token is read from --token-env or --token-stdin)';
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/argument missing|ambiguous/.test(message ?? '')) return `${option ?? 'an option'} needs a value`;
      if (/does not take an argument/.test(message ?? '')) return `${option ?? 'an option'} takes no value`;
      return 'invalid option value (see --help)';
    default:
      return 'invalid arguments (see --help)';
  }
}

/** What our own options look like; anything else (a token after `--`, say) is not repeated. */
const PLAIN_OPTION = /^--?[a-z][a-z-]{0,29}$/;

export function stringOption(parsed: Parsed, name: string): string | undefined {
  const value = parsed.values[name];
  return typeof value === 'string' ? value : undefined;
}

export function flag(parsed: Parsed, name: string): boolean {
  return parsed.values[name] === true;
}
