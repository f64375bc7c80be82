// Device-program figures (npm run bench wires this in): kiosk press → last ticket byte at
// the (mock) printer, with the render time apart; keypad press → MAX7219 frames of the
// window board; resident memory of each program in its own process (the built program
// against issue 10's goals). Every program runs
// its real code on sim IO against the hub at env.mqttUrl.
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { goal, summary, type Row, type Target } from './lib.ts';
import { simOf, startSimDevice } from '../../hub/sim/sim-io.ts';
import type { KioskHandle } from '../../kiosk/main.ts';
import type { KeypadHandle } from '../../counter-keypad/main.ts';
import type { WindowBoardHandle } from '../../display/main.ts';

type Env = { mqttUrl: string; devicesFile: string; baselineRttMs: { p50: number; p99: number }; target: Target };

const MEMORY_RUNNER = fileURLToPath(new URL('./devices-memory.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// Issue 10's goals, MB resident: keypad and boards ≤ 60, the kiosk ≤ 100 with its ticket renderer.
const DEVICE_GOALS: [id: string, program: string, goalMb: number][] = [
  ['kiosk-1', 'kiosk', 100], ['keypad-1', 'counter-keypad', 60], ['led-1', 'display', 60], ['hall-1', 'display', 60],
];
const ROUNDS = 30;

export async function run(env: Env): Promise<Row[]> {
  const rows: Row[] = [];
  const add = (name: string, value: number, unit: string, note?: string) => rows.push({ name, value: Math.round(value * 100) / 100, unit, note });
  const withRatio = (name: string, s: { p50: number; p99: number }) => {
    add(`${name} p50`, s.p50, 'ms');
    add(`${name} p99`, s.p99, 'ms');
    add(`${name} p50 / MQTT round trip p50`, s.p50 / env.baselineRttMs.p50, 'x');
    add(`${name} p99 / MQTT round trip p99`, s.p99 / env.baselineRttMs.p99, 'x');
  };
  const opts = { hubUrl: env.mqttUrl, devicesFile: env.devicesFile };

  const kiosk = (await startSimDevice('kiosk-1', opts)) as KioskHandle;
  const keypad = (await startSimDevice('keypad-1', opts)) as KeypadHandle;
  const led = (await startSimDevice('led-1', opts)) as WindowBoardHandle;
  try {
        await until(() => kiosk.state().phase === 'ready' && kiosk.state().lamps[0] === 'on' && keypad.state().online && led.state().online);
    const printTimes: number[] = [];
    const renderTimes: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const printed = new Promise((r) => kiosk.events.once('printed', r));
      await simOf(kiosk.io)!.press(0);
      await Promise.race([printed, new Promise((_, rej) => setTimeout(() => rej(new Error(`bench: ticket ${i + 1} was not printed (${JSON.stringify({ ...kiosk.state(), config: undefined })})`)), 10_000))]);
      const t = kiosk.lastTimings!;
      printTimes.push(t.printed - t.press);
      renderTimes.push(t.rendered - t.issued);
      await until(() => kiosk.state().phase === 'ready');
    }
    withRatio('kiosk press → last ticket byte at the printer', summary(printTimes));
    // Paper in hand: the mock line takes the bytes at once, a real one at its baud rate
    // (8N1: 10 bits a byte), so press → cut = the measured press → last byte + the job's wire time.
    const job = simOf(kiosk.io)!.printed().at(-1)!.bytes;
    const p = summary(printTimes);
    add('kiosk ticket job on the wire', job / 1024, 'KiB');
    for (const baud of [115200, 19200, 9600]) {
      add(`kiosk press → paper cut at ${baud} baud, p50${baud === 115200 ? ' (target ≤ 1000)' : ''}`, p.p50 + (job * 10 * 1000) / baud, 'ms');
    }
    const r = summary(renderTimes);
    add('kiosk ticket render (inside the above) p50', r.p50, 'ms');
    add('kiosk ticket render (inside the above) p99', r.p99, 'ms');

    const callTimes: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const shown = new Promise<number>((resolve) => {
        const on = (e: { text: string }) => {
          if (e.text.trim() !== '' && e.text !== 'OFF') {
            led.events.off('shown', on);
            resolve(performance.now());
          }
        };
        led.events.on('shown', on);
      });
      await until(() => !keypad.state().busy);
      const t0 = performance.now();
      await simOf(keypad.io)!.press(0); // Next (the press includes johnny-five's 7 ms debounce)
      callTimes.push((await shown) - t0);
    }
    withRatio('keypad Next → MAX7219 frames on the window board', summary(callTimes));
  } finally {
    await Promise.allSettled([kiosk.stop(), keypad.stop(), led.stop()]);
  }

  // Each program alone in its own process, as its unit runs it: the built dist/<program>/main.js
  // on plain node (or the sources under tsx with --tsx), with a bare process for reference.
  const t = env.target;
  const how = t.built ? `built${t.nodeFlags.length ? ' ' + t.nodeFlags.join(' ') : ''}` : 'under tsx';
  const bare = await memoryOf('none', 'none', env);
  add(`resident memory of a bare node${t.built ? '' : ' + tsx'} process (reference)`, bare.rssMb, 'MB');
  for (const [id, program, goalMb] of DEVICE_GOALS) {
    const entry = t.built ? path.join(t.dist, program, 'main.js') : path.join(ROOT, program, 'main.ts');
    const m = await memoryOf(entry, id, env);
    add(`resident memory of ${id}'s program (${how}, sim IO, after its work)`, m.rssMb, 'MB', goal(m.rssMb, goalMb));
    add(`resident memory of ${id}'s program (${how}), peak since start`, m.peakMb, 'MB');
  }
  return rows;
}

async function until(pred: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error('bench: devices did not get ready');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Run one device program in a process of its own, let it work once, read its RSS. */
function memoryOf(entry: string, id: string, env: Env): Promise<{ rssMb: number; peakMb: number }> {
  // Built: the runner itself must run on plain node, so it is transpiled (types stripped) first.
  let runner = MEMORY_RUNNER;
  if (env.target.built) {
    runner = path.join(os.tmpdir(), `shubbak-bench-devices-memory-${process.pid}-${id}.mjs`);
    fs.writeFileSync(runner, esbuild.transformSync(fs.readFileSync(MEMORY_RUNNER, 'utf8'), { loader: 'ts', format: 'esm' }).code);
  }
  return new Promise((resolve, reject) => {
    const child = fork(runner, [entry, id], {
      execArgv: env.target.built ? env.target.nodeFlags : ['--import', 'tsx'],
      cwd: ROOT,
      env: { ...process.env, SHUBBAK_DEVICE_ID: id, SHUBBAK_HUB_URL: env.mqttUrl, SHUBBAK_DEVICES_FILE: env.devicesFile, SHUBBAK_IO: 'sim' },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const done = () => {
      clearTimeout(timer);
      if (runner !== MEMORY_RUNNER) fs.rmSync(runner, { force: true });
    };
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('message', (m: { rssMb?: number; peakMb?: number; error?: string }) => {
      done();
      child.kill('SIGTERM');
      if (m.rssMb !== undefined) resolve({ rssMb: m.rssMb, peakMb: m.peakMb ?? NaN });
      else reject(new Error(m.error));
    });
    child.once('exit', (code) => {
      done();
      reject(new Error(`memory runner for ${id} exited (${code})`));
    });
  });
}
