// How commands fail: in plain words for the user, with the detail in the output channel, and
// as a rejected promise for callers that passed an argument object (so automation learns why).
import { isArgumentObject } from './commandArgs';
import { type Log } from './log';
import { type Ui } from './ui';

// UserFacingError keeps its own file: the store and the features throw it without needing the rest of this one.
import { UserFacingError } from './userFacingError';

export { UserFacingError };

export async function guarded<T>(log: Log, ui: Ui, command: string, arg: unknown, run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    const message =
      error instanceof UserFacingError ? error.message : 'Something went wrong; the details are in the Jira Token Guard output.';
    log.error(`${command} failed`, error);
    void ui.showErrorMessage(message, {});
    if (isArgumentObject(arg)) throw new Error(message);
    return undefined;
  }
}
