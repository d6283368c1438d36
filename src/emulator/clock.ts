/**
 * The emulator's clock: the given one (tests pin it) or the system's, plus the offset that
 * `POST /_emulator/clock` moves forward and `POST /_emulator/reset` clears.
 */
export class EmulatorClock {
  private offsetMs = 0;

  constructor(private readonly base: () => Date = () => new Date()) {}

  /** The emulated present. An arrow property, so it can be handed around as a plain function. */
  readonly now = (): Date => new Date(this.base().getTime() + this.offsetMs);

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  reset(): void {
    this.offsetMs = 0;
  }
}
