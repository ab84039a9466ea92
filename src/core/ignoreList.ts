/** The workspace file of fingerprints to ignore, shared by the extension and the command line. */
export const IGNORE_FILE_NAME = '.jira-token-guard-ignore';
