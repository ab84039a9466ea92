/** The workspace file of fingerprints to ignore, shared by the extension and the command line. */
export const IGNORE_FILE_NAME = '.jira-token-guard-ignore';

/** 1 MB: some 16,000 fingerprints. A larger file is not read (it could be a trap, not a list). */
export const IGNORE_FILE_MAX_BYTES = 1024 * 1024;

/** Why an ignore file was not read, for a warning. `name`: how to call it (default: its name). */
export function ignoreFileProblem(kind: 'not-regular' | 'too-large', name = IGNORE_FILE_NAME): string {
  return kind === 'not-regular'
    ? `${name} is not a regular file (a symbolic link, FIFO or device): it was not read`
    : `${name} is larger than ${IGNORE_FILE_MAX_BYTES / 1024 / 1024} MB: it was not read`;
}
