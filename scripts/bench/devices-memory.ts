// Runs one device program alone, as its unit does (its own process, settings from the
// environment, SHUBBAK_IO=sim), makes it do its job once, and reports its resident memory
// to the bench (devices.ts) over IPC. Arguments: <program entry> <device id>; the entry is
// the built dist/<program>/main.js (plain node, this file transpiled by the bench) or the
// TypeScript source (under tsx). It imports nothing of ours but the program, so the figure
// is the program's. Entry 'none' reports a bare process, for reference; 'link-only' one that
// holds a connection to the hub and runs no program (the runtime's floor as installed).
// Besides the total it reports where the memory goes (issue 10: memory by phase): resident
// after the program's code is loaded, once on line, and after its work; and of the last, the
// anonymous part (heaps: V8's and malloc's) apart from file pages (node's own binary and
// libraries).
import { pathToFileURL } from 'node:url';

type Sim = { press(key: number): Promise<void>; lamp(key: number): string };
const KIOSK_TICKETS = 8;
type Handle = {
  lastTimings?: { press: number; issued: number; rendered: number; printed: number } | null;
  link: { isOnline: boolean };
  io: { sim?: Sim | null };
  events: { once(ev: string, f: (...a: unknown[]) => void): void };
  stop(): Promise<void>;
};

const [entry, id] = process.argv.slice(2);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (kb: string | undefined) => Number(kb ?? NaN) / 1024;

type Status = { rssMb: number; peakMb: number; anonMb: number; fileMb: number; heapMb: number };
async function statusMb(): Promise<Status> {
  const { readFileSync } = await import('node:fs');
  const s = readFileSync('/proc/self/status', 'utf8');
  const field = (name: string) => mb(new RegExp(`${name}:\\s+(\\d+)`).exec(s)?.[1]);
  return { rssMb: field('VmRSS'), peakMb: field('VmHWM'), anonMb: field('RssAnon'), fileMb: field('RssFile'), heapMb: process.memoryUsage().heapTotal / 1048576 };
}

/** BENCH_HEAP_SNAPSHOT=dir: a V8 heap snapshot once measured (what the heap holds), <dir>/<device id>.heapsnapshot. */
async function heapSnapshot(): Promise<void> {
  if (process.env.BENCH_HEAP_SNAPSHOT) (await import('node:v8')).writeHeapSnapshot(`${process.env.BENCH_HEAP_SNAPSHOT}/${id}.heapsnapshot`);
}

async function until(pred: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`${id}: ${what} did not happen`);
    await sleep(20);
  }
}

/** One connection to the hub's MQTT port, open (TLS handshake done for mqtts://); nothing spoken on it. */
async function linkOnly(url: string, caFile: string | undefined): Promise<{ destroy(): void }> {
  const u = new URL(url);
  const port = Number(u.port);
  if (u.protocol === 'mqtts:') {
    const [tls, fs] = [await import('node:tls'), await import('node:fs')];
    const ca = caFile ? fs.readFileSync(caFile) : undefined;
    return new Promise((resolve, reject) => {
      const s = tls.connect({ host: u.hostname, port, servername: u.hostname, ca }, () => resolve(s));
      s.once('error', reject);
    });
  }
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const s = net.connect(port, u.hostname, () => resolve(s));
    s.once('error', reject);
  });
}

async function main(): Promise<void> {
  if (entry === 'none') {
    await sleep(500);
    process.send!(await statusMb());
    return;
  }
  if (entry === 'link-only') {
    // The runtime's floor under a device program as installed: no program, only what any
    // device holds to reach its hub — node with the unit's flags and one connection to the
    // hub's MQTT port, over TLS with the center's CA for mqtts:// — left alone as long.
    const socket = await linkOnly(process.env.SHUBBAK_HUB_URL!, process.env.SHUBBAK_CA_FILE);
    await sleep(Number(process.env.BENCH_SETTLE_MS ?? 3000));
    const floor = await statusMb();
    await heapSnapshot();
    process.send!(floor);
    socket.destroy();
    return;
  }
  const program = (await import(pathToFileURL(entry).href)) as Record<string, (o: object) => Promise<Handle>>;
  const loaded = await statusMb();
  const start = id.startsWith('kiosk') ? program.startKiosk : id.startsWith('keypad') ? program.startKeypad
    : id.startsWith('hall') ? program.startHallBoard : program.startWindowBoard;
  const dev = await start({ log: () => {} });
  await until(() => dev.link.isOnline, 'going on line');
  const online = await statusMb();
  const sim = dev.io.sim!;
  // The kiosk prints a few tickets, each timed from the press (its handle's lastTimings), so the
  // bench can say how fast it prints run as its unit runs it (node flags, TLS), not only how big.
  const printMs: number[] = [];
  const renderMs: number[] = [];
  if (id.startsWith('kiosk')) {
    for (let i = 0; i < KIOSK_TICKETS; i++) {
      await until(() => sim.lamp(0) === 'on', 'the first lamp lighting');
      const printed = new Promise((r) => dev.events.once('printed', r));
      await sim.press(0);
      await printed; // the ticket renderer (canvas, font) is loaded after the first
      const t = dev.lastTimings;
      if (t) {
        printMs.push(t.printed - t.press);
        renderMs.push(t.rendered - t.issued);
      }
    }
  } else if (id.startsWith('keypad')) await sim.press(1); // recall: a round trip without changing the queue
  // Left alone as in service: the figure is what the unit holds between citizens.
  await sleep(Number(process.env.BENCH_SETTLE_MS ?? 3000));
  const after = await statusMb();
  await heapSnapshot();
  process.send!({ ...after, loadedMb: loaded.rssMb, onlineMb: online.rssMb, printMs, renderMs });
  await dev.stop();
}

main().catch((err: Error) => process.send!({ error: err.stack ?? err.message }));
