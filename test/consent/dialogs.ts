// Talks to the runner (scripts/test-host/consent.js), which clicks VS Code's own modal dialogs in Chromium.
// Before a command that should ask, the suite says which dialog to expect and which button to press; the
// runner answers any other dialog with Cancel and reports it.
import * as assert from 'assert';
import * as http from 'http';

export interface SeenDialog {
  message: string;
  detail: string;
  buttons: string[];
  clicked: string;
  expected: boolean;
}

function call<T>(method: 'GET' | 'POST', route: string, body?: unknown): Promise<T> {
  const base = process.env.JTG_CONSENT_CONTROL;
  assert.ok(base, 'JTG_CONSENT_CONTROL is set by the runner');
  return new Promise((resolve, reject) => {
    const request = http.request(`${base}${route}`, { method, headers: { 'content-type': 'application/json' } }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      response.on('end', () => resolve(JSON.parse(text || 'null') as T));
    });
    request.on('error', reject);
    request.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/**
 * Runs `work` while the runner answers the dialogs listed, in any order, each once (pattern over the message
 * and its detail, button to press). Resolves to what `work` gave (or threw) and the dialogs seen; fails when a
 * dialog nobody expected showed or an expected one did not.
 */
export async function withDialogs<T>(
  expected: Array<[RegExp, string]>,
  work: () => Thenable<T> | Promise<T>,
): Promise<{ result?: T; error?: Error; dialogs: SeenDialog[] }> {
  await call('POST', '/reset');
  for (const [pattern, button] of expected) await call('POST', '/expect', { pattern: pattern.source, flags: pattern.flags, button });
  let result: T | undefined;
  let error: Error | undefined;
  try {
    result = await work();
  } catch (e) {
    error = e as Error;
  }
  const dialogs = await call<SeenDialog[]>('POST', '/reset');
  const summary = dialogs.map((d) => `${d.message} -> ${d.clicked}`).join('\n');
  assert.ok(
    dialogs.every((d) => d.expected),
    `a dialog nobody expected:\n${summary}`,
  );
  assert.strictEqual(dialogs.length, expected.length, `dialogs seen:\n${summary || '(none)'}`);
  return { result, error, dialogs };
}
