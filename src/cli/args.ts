// Argument parsing on Node's own util.parseArgs (no dependency), with errors turned into one-line
// usage errors.
import { parseArgs } from 'util';

export const EXIT_OK = 0;
/** Findings (scan) or a verdict other than `valid` (check). */
export const EXIT_FOUND = 1;
/** Usage or read error. */
export const EXIT_ERROR = 2;

/** A problem with how the command was called or what it could read: exit code 2, one line on stderr. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

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

function parseErrorMessage(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  const option = /'(-[^' ]+)/.exec(message ?? '')?.[1];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${option ?? ''}`.trim();
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      // Never echoed: a stray argument may be a token pasted onto the command line.
      return 'this command takes no arguments, only options (a token is read from --token-env or --token-stdin)';
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (option && /argument missing|ambiguous/.test(message ?? '')) return `${option} needs a value`;
      return option && /does not take an argument/.test(message ?? '') ? `${option} takes no value` : firstSentence(message);
    default:
      return firstSentence(message);
  }
}

function firstSentence(message: string | undefined): string {
  return (message ?? 'invalid arguments').split(/\.\s/)[0].replace(/\.$/, '');
}

export function stringOption(parsed: Parsed, name: string): string | undefined {
  const value = parsed.values[name];
  return typeof value === 'string' ? value : undefined;
}

export function flag(parsed: Parsed, name: string): boolean {
  return parsed.values[name] === true;
}
