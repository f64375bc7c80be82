// Drive a device program's pure step function (kiosk/logic.ts, counter-keypad/logic.ts,
// display/logic.ts) through a list of events, collecting the state it ends in and every
// effect on the way: the one `feed` the state-machine tests share (issue 12, item 10).
export type Step<S, E, F> = (state: S, event: E) => { state: S; effects: readonly F[] };

export function runSteps<S, E, F>(step: Step<S, E, F>, events: readonly E[], from: S): { state: S; effects: F[] } {
  let state = from;
  const effects: F[] = [];
  for (const e of events) {
    const r = step(state, e);
    state = r.state;
    effects.push(...r.effects);
  }
  return { state, effects };
}
