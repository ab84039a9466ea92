// Shows that a verdict came from the caller's timeout, not from the server, without measuring wall-clock time
// (which flakes on a loaded machine): the same check with an hour's timeout runs alongside and must still be
// waiting when the short one settles.

export interface TimeoutRace<T> {
  result: T;
  /** True when the hour-long twin had not settled yet: the short timeout, not an answer, ended the check. */
  longerStillWaiting: boolean;
}

export async function againstALongerTimeout<T>(
  run: (options: { timeoutMs: number; signal?: AbortSignal }) => Promise<T>,
  timeoutMs = 500,
): Promise<TimeoutRace<T>> {
  const patient = new AbortController();
  let longerSettled = false;
  const longer = run({ timeoutMs: 3_600_000, signal: patient.signal }).finally(() => {
    longerSettled = true;
  });
  try {
    const result = await run({ timeoutMs });
    return { result, longerStillWaiting: !longerSettled };
  } finally {
    patient.abort();
    await longer.catch(() => undefined);
  }
}
