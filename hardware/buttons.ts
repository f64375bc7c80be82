// Illuminated push buttons: one johnny-five Button (debounced by johnny-five, 7 ms) and one
// Led per key. Buttons are wired pin→GND with the internal pull-up, so no resistors.
// Events: 'press' once on each debounced down edge; 'hold' once per press when the key
// stays down for holdMs (johnny-five repeats its own 'hold'; a key is one hold).
import { EventEmitter } from 'node:events';
import type five from 'johnny-five';
import Button from 'johnny-five/lib/button.js';
import Led from 'johnny-five/lib/led/led.js';
import type { ButtonPanel, LampState } from './types.ts';

export type ButtonPanelOptions = {
  board: five.Board;
  buttonPins: readonly (number | string)[];
  /** One lamp per button, same order; a missing lamp pin means a key without a lamp. */
  lampPins: readonly (number | string)[];
  holdMs?: number;
  blinkMs?: number;
};

/**
 * Makes pins inputs with their pull-up, in the order the board gets its commands. A program
 * with a second set of buttons on the same port (the kiosk's "لدي حجز") calls it for those
 * pins before the first panel is made: the first panel's reporting covers the whole port.
 */
export function pullUpInputs(board: five.Board, pins: readonly (number | string)[]): void {
  const io = board.io as unknown as { MODES: { INPUT: number }; pinMode(p: number | string, m: number): void; digitalWrite(p: number | string, v: number): void };
  for (const pin of pins) {
    io.pinMode(pin, io.MODES.INPUT);
    io.digitalWrite(pin, 1);
  }
}

export class LampButtonPanel extends EventEmitter<{ press: [key: number]; hold: [key: number] }> implements ButtonPanel {
  readonly keys: readonly number[];
  private readonly buttons: five.Button[];
  private readonly lamps: (five.Led | null)[];
  private readonly lampStates: LampState[];
  private readonly blinkMs: number;
  private closed = false;

  constructor(opts: ButtonPanelOptions) {
    super();
    const { board } = opts;
    this.blinkMs = opts.blinkMs ?? 400;
    this.keys = opts.buttonPins.map((_, key) => key);
    // Every button pin an input with its pull-up before the first Button turns reporting on:
    // otherwise a report for the port could reach the host before the firmware has made the
    // next pins inputs, and their LOW (an output's level) would read as a press at start-up.
    pullUpInputs(board, opts.buttonPins);
    this.buttons = opts.buttonPins.map((pin, key) => {
      const button = new Button({ pin, board, isPullup: true, holdtime: opts.holdMs ?? 1500 } as five.ButtonOption & { board: five.Board });
      let held = false;
      button.on('press', () => {
        held = false;
        if (!this.closed) this.emit('press', key);
      });
      button.on('hold', () => {
        if (held || this.closed) return;
        held = true;
        this.emit('hold', key);
      });
      button.on('release', () => {
        held = false;
      });
      return button;
    });
    this.lamps = this.keys.map((key) => {
      const pin = opts.lampPins[key];
      return pin === undefined ? null : new Led({ pin, board } as five.LedOption & { board: five.Board });
    });
    this.lampStates = this.keys.map(() => 'off');
    for (const lamp of this.lamps) lamp?.off();
  }

  lampState(key: number): LampState {
    return this.lampStates[key] ?? 'off';
  }

  setLamp(key: number, state: LampState): void {
    const lamp = this.lamps[key];
    if (!lamp || this.closed) return;
    this.lampStates[key] = state;
    lamp.stop(); // ends a running blink, whatever comes next
    if (state === 'on') lamp.on();
    else if (state === 'off') lamp.off();
    else lamp.blink(this.blinkMs);
  }

  setAllLamps(state: LampState): void {
    for (const key of this.keys) this.setLamp(key, state);
  }

  /** Stops blinks (their timers would keep the process alive), darkens the lamps, drops listeners. */
  close(): void {
    if (this.closed) return;
    for (const lamp of this.lamps) {
      lamp?.stop();
      lamp?.off();
    }
    this.closed = true;
    for (const b of this.buttons) b.removeAllListeners();
    this.removeAllListeners();
  }
}
