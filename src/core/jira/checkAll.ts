// Checks many credentials with a small concurrency limit: polite to Jira sites and to proxies, and quick
// enough for a "Test All" button.
import { type CheckResult, type Credential } from '../connections/connection';
import { type CheckOptions, checkCredential } from './check';

export const DEFAULT_CONCURRENCY = 10;

export interface CheckAllOptions extends CheckOptions {
  /** Checks in flight at once; default 10 (20 connections finish in two rounds). */
  concurrency?: number;
  /** Called as each verdict arrives, keyed by connection id. Must not throw: an exception rejects checkAll. */
  onResult?: (id: string, result: CheckResult) => void;
}

/**
 * Resolves with a verdict per connection id. When `signal` aborts, no further check starts and checks
 * cut short are left out: the map (and onResult) hold only verdicts reached before the cancellation.
 */
export async function checkAll(
  items: Array<{ connection: Credential & { id: string }; token: string }>,
  options: CheckAllOptions,
): Promise<Map<string, CheckResult>> {
  const { concurrency, onResult, ...checkOptions } = options;
  const limit = concurrency !== undefined && concurrency >= 1 ? Math.floor(concurrency) : DEFAULT_CONCURRENCY;
  const results = new Map<string, CheckResult>();
  const cancelled = (): boolean => options.signal?.aborted === true;
  let next = 0;

  const worker = async (): Promise<void> => {
    while (next < items.length && !cancelled()) {
      const { connection, token } = items[next++];
      const result = await checkCredential(connection, token, checkOptions);
      if (cancelled()) return;
      results.set(connection.id, result);
      onResult?.(connection.id, result);
    }
  };

  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
