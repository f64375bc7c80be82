// Device-program figures (npm run bench wires this in): kiosk press → last ticket byte at
// the (mock) printer, with the render time apart; keypad press → MAX7219 frames of the
// window board; resident memory of each program in its own process (the built program
// against issue 10's goals, over TLS as installed). Every program runs its real code on sim IO
// against the bench's hub: at env.mqttUrl, and for its memory at env.mqttsUrl too.
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { goal, summary, unitMallocEnv, unitNodeFlags, type Row, type Target } from './lib.ts';
import { simOf, startSimDevice } from '../../hub/sim/sim-io.ts';
import type { KioskHandle } from '../../kiosk/main.ts';
import type { KeypadHandle } from '../../counter-keypad/main.ts';
import type { WindowBoardHandle } from '../../display/main.ts';

type Env = { mqttUrl: string; mqttsUrl: string; caFile: string; devicesFile: string; baselineRttMs: { p50: number; p99: number }; target: Target };

const MEMORY_RUNNER = fileURLToPath(new URL('./devices-memory.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// Issue 10's goals, MB resident: keypad and boards ≤ 60, the kiosk ≤ 100 with its ticket renderer.
// Each runs with the node flags of its systemd unit (the ExecStart line), as installed.
const DEVICE_GOALS: [id: string, program: string, goalMb: number, unit: string][] = [
  ['kiosk-1', 'kiosk', 100, 'kiosk/kiosk.service'], ['keypad-1', 'counter-keypad', 60, 'counter-keypad/counter-keypad.service'],
  ['led-1', 'display', 60, 'display/display.service'], ['hall-1', 'display', 60, 'display/hall.service'],
];

export { unitNodeFlags } from './lib.ts';
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
    // …and the hub's clock heard: a kiosk refuses to issue before it (NO_CLOCK). The hub sends
    // it on subscribe and every 10 s; the one on subscribe can come before the subscription
    // is in place (seen: a first ticket refused NO_CLOCK), hence the wait past one interval.
    await until(() => kiosk.state().phase === 'ready' && kiosk.state().lamps[0] === 'on' && kiosk.link.hubNow() !== null && keypad.state().online && led.state().online, 15_000);
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
  // As installed, a device reaches its hub over TLS with the center's CA (mqtts://; production
  // refuses a hub without TLS), and node's TLS with its secure context is part of what it holds:
  // the goal is taken over mqtts://, and the demo's plain mqtt:// is shown beside it.
  const t = env.target;
  const plainLink: Link = { hubUrl: env.mqttUrl };
  const bare = await memoryOf('none', 'none', env, plainLink, []);
  add(`resident memory of a bare node${t.built ? '' : ' + tsx'} process (reference)`, bare.rssMb, 'MB', `anonymous ${bare.anonMb.toFixed(1)} MB, file pages ${bare.fileMb.toFixed(1)} MB`);
  for (const [id, program, goalMb, unit] of DEVICE_GOALS) {
    const entry = t.built ? path.join(t.dist, program, 'main.js') : path.join(ROOT, program, 'main.ts');
    // --node-flags=… replaces the unit's flags (to compare); otherwise the unit's own.
    const flags = t.nodeFlags.length ? t.nodeFlags : unitNodeFlags(unit, ROOT);
    const how = t.built ? `built${flags.length ? ' ' + flags.join(' ') : ''}` : 'under tsx';
    const malloc = t.built ? unitMallocEnv(unit, ROOT) : {};
    const m = await memoryOf(entry, id, env, { hubUrl: env.mqttsUrl, caFile: env.caFile }, flags, malloc);
    const plain = await memoryOf(entry, id, env, plainLink, flags, malloc);
    add(`resident memory of ${id}'s program (${how}, over mqtts:// as installed, sim IO, after its work)`, m.rssMb, 'MB', goal(m.rssMb, goalMb));
    add(`resident memory of ${id}'s program (${how}), peak since start`, m.peakMb, 'MB');
    add(`  ${id}: resident once its code is loaded / on line`, m.loadedMb, 'MB', `on line ${m.onlineMb.toFixed(1)} MB`);
    add(`  ${id}: of the resident after its work, anonymous (V8 heap ${m.heapMb.toFixed(1)} MB + malloc)`, m.anonMb, 'MB', `file pages (node's binary, libraries) ${m.fileMb.toFixed(1)} MB`);
    add(`  ${id}: the same over plain mqtt:// (the demo's), after its work`, plain.rssMb, 'MB', `TLS costs it ${(m.rssMb - plain.rssMb).toFixed(1)} MB`);
    // The runtime's floor as installed (devices-memory.ts, link-only): node with the unit's flags
    // holding one mqtts:// connection, no program. The goal less this is what the program may add.
    const floor = await memoryOf('link-only', `${id}-floor`, env, { hubUrl: env.mqttsUrl, caFile: env.caFile }, flags, malloc);
    add(`  ${id}: the runtime's floor as installed (node ${flags.join(' ')}, one mqtts:// connection, no program)`, floor.rssMb, 'MB',
      `anonymous ${floor.anonMb.toFixed(1)}, file pages ${floor.fileMb.toFixed(1)}; the program adds ${(m.rssMb - floor.rssMb).toFixed(1)} MB, the goal leaves it ${(goalMb - floor.rssMb).toFixed(1)}`);
    if (m.printMs?.length) {
      // Run as installed (its unit's flags, over mqtts://): issue 16's paper in hand is this plus the job's wire time.
      const p = summary(m.printMs);
      add(`  ${id} as installed: press → last ticket byte at the printer, p50 of ${m.printMs.length}`, p.p50, 'ms', `p99 ${p.p99.toFixed(1)} ms; render p50 ${summary(m.renderMs ?? []).p50.toFixed(1)} ms`);
    }
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
type Memory = { rssMb: number; peakMb: number; anonMb: number; fileMb: number; heapMb: number; loadedMb: number; onlineMb: number; printMs?: number[]; renderMs?: number[] };
/** How the program reaches the hub: its URL, and for mqtts:// the CA file the hub's certificate must chain to. */
type Link = { hubUrl: string; caFile?: string };
let runs = 0;
function memoryOf(entry: string, id: string, env: Env, link: Link, nodeFlags: string[], malloc: Record<string, string> = {}): Promise<Memory> {
  // Built: the runner itself must run on plain node, so it is transpiled (types stripped) first.
  let runner = MEMORY_RUNNER;
  if (env.target.built) {
    runner = path.join(os.tmpdir(), `shubbak-bench-devices-memory-${process.pid}-${id}-${++runs}.mjs`); // one per run: a run's exit removes its own
    fs.writeFileSync(runner, esbuild.transformSync(fs.readFileSync(MEMORY_RUNNER, 'utf8'), { loader: 'ts', format: 'esm' }).code);
  }
  return new Promise((resolve, reject) => {
    const child = fork(runner, [entry, id], {
      execArgv: env.target.built ? nodeFlags : ['--import', 'tsx'],
      cwd: ROOT,
      env: {
        ...process.env, ...malloc, SHUBBAK_DEVICE_ID: id, SHUBBAK_HUB_URL: link.hubUrl, SHUBBAK_DEVICES_FILE: env.devicesFile, SHUBBAK_IO: 'sim',
        ...(link.caFile ? { SHUBBAK_CA_FILE: link.caFile } : {}),
      },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const done = () => {
      clearTimeout(timer);
      if (runner !== MEMORY_RUNNER) fs.rmSync(runner, { force: true });
    };
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('message', (m: Partial<Memory> & { error?: string }) => {
      done();
      child.kill('SIGTERM');
      if (m.rssMb !== undefined) resolve({ peakMb: NaN, anonMb: NaN, fileMb: NaN, heapMb: NaN, loadedMb: NaN, onlineMb: NaN, ...m, rssMb: m.rssMb });
      else reject(new Error(m.error));
    });
    child.once('exit', (code) => {
      done();
      reject(new Error(`memory runner for ${id} exited (${code})`));
    });
  });
}
