// The time the extension reads in an integration test (injected through exports.testing.useClock).
export class TestClock {
  private fixed: Date | undefined;

  now(): Date {
    return this.fixed ? new Date(this.fixed) : new Date();
  }

  /** Pins the clock; `undefined` returns to real time. */
  set(date: Date | undefined): void {
    this.fixed = date ? new Date(date) : undefined;
  }
}
