// The time every feature reads. Tests pin it to check reminders and expiry at given ages.
export class Clock {
  private fixed: Date | undefined;

  now(): Date {
    return this.fixed ? new Date(this.fixed) : new Date();
  }

  /** Pins the clock (tests); `undefined` returns to real time. */
  set(date: Date | undefined): void {
    this.fixed = date ? new Date(date) : undefined;
  }
}
