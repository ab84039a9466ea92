// Entry point of the compatibility smoke run (extensionTestsPath): the suite beside it checks the packaged
// Jira Token Guard on one VS Code version of the matrix (scripts/test-host/compat.js).
import { runMochaSuite } from '../support/mochaSuite';

export function run(): Promise<void> {
  return runMochaSuite(__dirname);
}
