// A clock the test moves by hand (the hub and the domain take the clock as a function).
export class FakeClock {
  constructor(public ms: number) {}
  readonly now = (): number => this.ms;
  set(ms: number): void {
    this.ms = ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}
