// Entry point of the hostile-extension run (extensionTestsPath): the suites beside it play another extension
// installed next to the packaged Jira Token Guard.
import { runMochaSuite } from '../support/mochaSuite';

export function run(): Promise<void> {
  return runMochaSuite(__dirname);
}
