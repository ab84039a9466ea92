// The ids of tokens that should be dead: the PAT a rotation replaced, a token revoked here, a PAT the leak
// guard saw in a file. Ids only, never a token, in the extension's own globalState. Token activity alerts
// when one of them is still listed.
import { type MetadataStorage } from '../connections/connectionStore';
import { DEAD_TOKENS_STATE_KEY } from '../common/constants';
import { addDeadToken, type DeadToken, readDeadTokens } from '../core/hygiene/activityAlerts';
import { type DeadReason } from '../core/hygiene/tokenInventory';
import { SerialQueue } from '../core/common/serialQueue';

export class DeadTokens {
  private readonly queue = new SerialQueue();
  /** Recorded in this session: the leak guard sees the same PAT on every scan, and writes once. */
  private readonly recorded = new Set<string>();

  constructor(
    private readonly state: MetadataStorage,
    private readonly now: () => Date,
  ) {}

  /** Remembers one id; `connectionId` when the account is known (a leaked PAT in a file: not known). */
  record(id: string, why: DeadReason, connectionId?: string): Promise<void> {
    const key = `${connectionId ?? ''}\u0000${id}`;
    if (this.recorded.has(key)) return Promise.resolve();
    this.recorded.add(key);
    return this.queue.run(async () => {
      const before = readDeadTokens(this.state.get(DEAD_TOKENS_STATE_KEY));
      const after = addDeadToken(before, { id, why, ...(connectionId ? { connectionId } : {}), at: this.now().toISOString() });
      if (after.length !== before.length) await this.state.update(DEAD_TOKENS_STATE_KEY, after);
    });
  }

  list(): DeadToken[] {
    return readDeadTokens(this.state.get(DEAD_TOKENS_STATE_KEY));
  }

  /** Tests start from none. */
  async clear(): Promise<void> {
    this.recorded.clear();
    await this.queue.run(() => Promise.resolve(this.state.update(DEAD_TOKENS_STATE_KEY, undefined)));
  }
}
