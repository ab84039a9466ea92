// Live or dead: each finding's secret tested with the engine of `check` (core/jira) at the places verifyPlan.ts
// allows, a few at a time, waiting out a 429's Retry-After. `scan --verify` and the editor's Verify Leaked
// Tokens both run this; the command line bundles it with `check` (bin/cli-check.js), so a plain scan never
// loads the HTTP client.
import { type CheckResult, type Credential } from '../connections/connection';
import { checkCredential, type OpenTransport } from '../jira';
import { type Verification } from './reportedFinding';
import { planVerification } from './verifyPlan';

/** What verification needs of a finding: its rule. */
export interface VerifiableFinding {
  ruleId: string;
}

export interface VerifyInput<F extends VerifiableFinding = VerifiableFinding> {
  finding: F;
  /** The secret as the file holds it. Undefined when it could not be read again: reported unknown. */
  secret: string | undefined;
  /** The lines around the finding, where its site and account are looked for. */
  context: string;
}

interface VerifyBase {
  verifyHosts: readonly string[];
  concurrency?: number;
  /** Waits on a 429 (a test seam); the wait is capped at MAX_RETRY_AFTER_S. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * The check itself (the editor passes its own, with its settings and log), or checkCredential over
 * `transport` with timeoutMs and gatewayUrl (the command line).
 */
export type VerifyOptions = VerifyBase &
  (
    | { check: (credential: Credential, secret: string) => Promise<CheckResult> }
    | { check?: undefined; transport: OpenTransport; timeoutMs?: number; gatewayUrl?: string }
  );

const DEFAULT_CONCURRENCY = 4;
const MAX_RETRY_AFTER_S = 60;
const RATE_LIMIT_RETRIES = 2;

export async function verifyFindings<F extends VerifiableFinding>(
  inputs: ReadonlyArray<VerifyInput<F>>,
  options: VerifyOptions,
): Promise<Array<F & { verification: Verification }>> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  // The same secret at the same place is asked once, however many times it was found.
  const cache = new Map<string, Promise<CheckResult>>();
  const check = (key: string, run: () => Promise<CheckResult>): Promise<CheckResult> => {
    let pending = cache.get(key);
    if (!pending) cache.set(key, (pending = run()));
    return pending;
  };
  const results = new Array<F & { verification: Verification }>(inputs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < inputs.length) {
      const index = next++;
      const { finding, secret, context } = inputs[index];
      results[index] = { ...finding, verification: await verifyOne(finding.ruleId, secret, context) };
    }
  };

  async function verifyOne(ruleId: string, secret: string | undefined, context: string): Promise<Verification> {
    const plan = planVerification(ruleId, context, options.verifyHosts);
    if ('unknown' in plan) return { status: 'unknown', reason: plan.unknown };
    if (secret === undefined) return { status: 'unknown', reason: 'not sent: the secret could not be read again' };
    let last: CheckResult | undefined;
    let refused = 0;
    for (const { credential } of plan.send) {
      const key = `${credential.kind}\0${credential.baseUrl}\0${credential.email ?? ''}\0${secret}`;
      const result = await check(key, () =>
        withRetries(() =>
          options.check
            ? options.check(credential, secret)
            : checkCredential(credential, secret, {
                timeoutMs: options.timeoutMs,
                gatewayUrl: options.gatewayUrl,
                transport: options.transport,
              }),
        ),
      );
      if (result.status === 'valid') return { status: 'live', reason: `${host(credential.baseUrl)} accepted it` };
      if (result.status === 'invalid' || result.status === 'expired') refused++;
      last = result;
    }
    if (refused === plan.send.length)
      return { status: 'dead', reason: `refused by ${plan.send.map((t) => host(t.credential.baseUrl)).join(', ')}: ${last!.message}` };
    return { status: 'unknown', reason: `no clear answer: ${last!.message}` };
  }

  async function withRetries(run: () => Promise<CheckResult>): Promise<CheckResult> {
    let result = await run();
    for (let attempt = 0; attempt < RATE_LIMIT_RETRIES && result.status === 'rate-limited'; attempt++) {
      const seconds = Math.min(MAX_RETRY_AFTER_S, Math.max(1, result.retryAfterSeconds ?? 5));
      await sleep(seconds * 1000);
      result = await run();
    }
    return result;
  }

  const limit = Math.max(1, Math.floor(options.concurrency ?? DEFAULT_CONCURRENCY));
  await Promise.all(Array.from({ length: Math.min(limit, inputs.length) }, worker));
  // A secret's text must never ride along in a reason; the check's messages hold none, this makes sure.
  return results.map((r, i) => {
    const secret = inputs[i].secret;
    if (!secret || !r.verification || !r.verification.reason.includes(secret)) return r;
    return { ...r, verification: { ...r.verification, reason: r.verification.reason.split(secret).join('…') } };
  });
}

function host(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return 'the site';
  }
}
