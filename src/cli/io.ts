// What a command touches outside itself, passed in so the commands do not reach for globals.
export interface CliIo {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown; isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?(mode: boolean): unknown };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** The package version, shown by --version and written into SARIF. */
  version: string;
}
