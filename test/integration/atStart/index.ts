// Entry point of the integration pass whose workbench starts with a file already open (the runner's
// `openAtStart`, scripts/test-host/integration.js): its own host, so the test's request is the window's first.
import { runMochaSuite } from '../../support/mochaSuite';

export function run(): Promise<void> {
  return runMochaSuite(__dirname);
}
