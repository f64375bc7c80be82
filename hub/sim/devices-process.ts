// The simulated center's devices, in one process: the kiosk, keypads, window boards and
// hall board of data/devices.json, each its real program on sim IO (mock Firmata, mock
// serial port, recording audio player). Sends each device's view to the hub over IPC when
// it changes, and carries out the page's presses. Started by simulator.ts.
import fs from 'node:fs';
import { loadDeviceEnv } from '@shubbak/protocol/device-env';
import { loadKioskConfig } from '../../kiosk/config.ts';
import { startKiosk, type KioskHandle } from '../../kiosk/main.ts';
import { loadKeypadConfig } from '../../counter-keypad/config.ts';
import { startKeypad, type KeypadHandle } from '../../counter-keypad/main.ts';
import { loadDisplayConfig } from '../../display/config.ts';
import { startHallBoard, startWindowBoard, type HallHandle, type WindowBoardHandle } from '../../display/main.ts';
import { monoToPng } from '@shubbak/hardware';
import { simOf } from './sim-io.ts';
import type { DeviceView, SimMessage, SimRequest } from './views.ts';

type Running =
  | { kind: 'kiosk'; id: string; h: KioskHandle }
  | { kind: 'keypad'; id: string; h: KeypadHandle }
  | { kind: 'display'; id: string; h: WindowBoardHandle }
  | { kind: 'hall'; id: string; h: HallHandle };

const KEY_LABELS = ['التالي', 'إعادة النداء', 'لم يحضر', 'تحويل', 'إيقاف/استئناف'];

const send = (m: SimMessage) => process.send?.(m);

async function main(): Promise<void> {
  const devicesFile = process.env.SHUBBAK_DEVICES_FILE;
  if (!devicesFile) throw new Error('SHUBBAK_DEVICES_FILE is not set');
  const creds = JSON.parse(fs.readFileSync(devicesFile, 'utf8')) as { devices: { id: string; kind: string }[] };
  const quiet = () => {};
  const envFor = (id: string) => ({ ...process.env, SHUBBAK_DEVICE_ID: id, SHUBBAK_IO: 'sim' });
  const running: Running[] = [];
  const lineNames = new Map<string, string>();
  let lastTicket: { png: string; width: number; height: number; at: number } | null = null;

  for (const d of creds.devices) {
    const env = envFor(d.id);
    loadDeviceEnv(env); // fail early with the setting's name
    if (d.kind === 'kiosk') {
      const h = await startKiosk({ config: loadKioskConfig(env), log: quiet });
      h.link.on('lineState', (l) => lineNames.set(l.line, l.name));
      h.events.on('printed', () => {
        const img = simOf(h.io)?.lastPrinted();
        if (img) lastTicket = { png: `data:image/png;base64,${monoToPng(img).toString('base64')}`, width: img.width, height: img.height, at: Date.now() };
      });
      running.push({ kind: 'kiosk', id: d.id, h });
    } else if (d.kind === 'keypad') running.push({ kind: 'keypad', id: d.id, h: await startKeypad({ config: loadKeypadConfig(env), log: quiet }) });
    else if (d.kind === 'display') running.push({ kind: 'display', id: d.id, h: await startWindowBoard({ config: loadDisplayConfig({ ...env, SHUBBAK_DISPLAY_KIND: 'display' }), log: quiet }) });
    else if (d.kind === 'hall') running.push({ kind: 'hall', id: d.id, h: await startHallBoard({ config: loadDisplayConfig({ ...env, SHUBBAK_DISPLAY_KIND: 'hall' }), log: quiet }) });
  }

  const viewOf = (r: Running): DeviceView => {
    const sim = simOf(r.h.io);
    switch (r.kind) {
      case 'kiosk': {
        const s = r.h.state();
        return {
          id: r.id, kind: 'kiosk', online: s.online, phase: s.phase, printer: r.h.io.printer.status, notice: s.notice?.ar ?? null,
          buttons: (s.config?.buttons ?? []).map((b) => ({ key: b.key, line: b.line, name: lineNames.get(b.line) ?? '', lamp: sim?.lamp(b.key) ?? s.lamps[b.key] ?? 'off' })),
          lastTicket,
        };
      }
      case 'keypad': {
        const s = r.h.state();
        return {
          id: r.id, kind: 'keypad', online: s.online, window: s.config?.window ?? null, digits: sim?.digits() ?? s.shown, message: r.h.message(),
          keys: KEY_LABELS.map((label, key) => ({ key, label, lamp: sim?.lamp(key) ?? s.lamps[key] ?? 'off' })),
        };
      }
      case 'display': {
        const s = r.h.state();
        return { id: r.id, kind: 'display', online: s.online, window: s.config?.window ?? null, digits: sim?.digits() ?? s.shown, blink: s.blinking };
      }
      case 'hall': {
        const s = r.h.state();
        const last = r.h.calls.at(-1);
        return {
          id: r.id, kind: 'hall', online: s.online, rows: sim ? sim.hallRows() : (s.online && s.config ? s.calls.slice(0, s.config.rows) : []).map((c) => ({ ticket: c.ticket, window: c.window })),
          lastCall: last ? { ticket: last.call.ticket, window: last.call.window, words: last.words } : null, announced: r.h.calls.length,
        };
      }
    }
  };

  // Views are cheap to build: poll and send what changed (covers hardware-side changes too).
  const sent = new Map<string, string>();
  const publish = () => {
    for (const r of running) {
      const v = viewOf(r);
      const json = JSON.stringify(v);
      if (sent.get(r.id) === json) continue;
      sent.set(r.id, json);
      send({ type: 'view', view: v });
    }
  };
  const timer = setInterval(publish, 100);
  publish();

  process.on('message', (req: SimRequest) => {
    const r = running.find((x) => x.id === req?.device);
    if (!r) return;
    const sim = simOf(r.h.io);
    if (req.type === 'press') void (req.hold ? sim?.hold(req.key) : sim?.press(req.key));
    else if (req.type === 'paper' && r.kind === 'kiosk') sim?.setPaper(req.state);
  });

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(timer);
    await Promise.allSettled(running.map((r) => r.h.stop()));
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  process.on('disconnect', () => void stop()); // the hub went away
  send({ type: 'ready', devices: running.map((r) => r.id) });
}

main().catch((err: Error) => {
  send({ type: 'error', message: err.stack ?? err.message });
  process.exit(1);
});
