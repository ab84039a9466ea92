// Entry point the VS Code host calls (extensionTestsPath): runs every *.test.js beside it with mocha.
import { runMochaSuite } from '../support/mochaSuite';

export function run(): Promise<void> {
  return runMochaSuite(__dirname);
}
