// SHUBBAK_IO=firmata on a real serial path of the OS: socat makes a pseudo-terminal pair,
// the window board program (run as the unit runs it: node on display/main.ts) opens one
// end through serialport 13's native binding and starts Firmata's handshake, which this
// test reads at the other end. Before issue 9 the program stopped at board open: johnny-five
// opened the port with its bundled serialport 8, whose native binding is not built
// ("Missing serialport dependency"). Nobody answers here, so the program must report
// NO_HANDSHAKE on its health topic and in its log, and keep retrying.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SerialPort } from 'serialport';
import { topics } from '@shubbak/protocol';
import { startTestHub } from '../helpers/hub.ts';
import { TEST_CLIP_DIR } from '../helpers/clips.ts';
import { until } from '../helpers/uno.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

function stop(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => p.kill('SIGKILL'), 5000);
    p.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    p.kill('SIGTERM');
  });
}

describe('a device program over a real serial path (pseudo-terminal)', () => {
  test('SHUBBAK_IO=firmata on a pty: past the port open into the Firmata handshake; no answer → NO_HANDSHAKE, reported and retried', async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shubbak-pty-'));
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const board = path.join(dir, 'ttyARDUINO');
    const far = path.join(dir, 'ttyFAR');
    const socat = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${board}`, `pty,raw,echo=0,link=${far}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    t.after(() => stop(socat));
    await until('socat made the pty pair', () => fs.existsSync(board) && fs.existsSync(far), 10_000);

    const hub = await startTestHub(t);
    const secret = fs.readFileSync(path.join(hub.dataDir, 'hub.secret'), 'utf8').trim();
    const watcher = await hub.rawClient({ username: 'hub', password: secret, clientId: 'hub' });
    const healths: { board?: { state: string; code?: string; message?: string } }[] = [];
    watcher.on('message', (topic, p) => topic === topics.deviceHealth('led-1') && p.length && healths.push(JSON.parse(p.toString())));
    await watcher.subscribeAsync(topics.deviceHealth('led-1'), { qos: 1 });

    const farEnd = new SerialPort({ path: far, baudRate: 57600 });
    t.after(() => new Promise<void>((r) => (farEnd.isOpen ? farEnd.close(() => r()) : r())));
    const received: number[] = [];
    farEnd.on('data', (d: Buffer) => received.push(...d));

    let output = '';
    const program = spawn(process.execPath, ['--import', 'tsx', 'display/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env, SHUBBAK_IO: 'firmata', SHUBBAK_FIRMATA_PORT: board, SHUBBAK_DEVICE_ID: 'led-1', SHUBBAK_DISPLAY_KIND: 'display',
        SHUBBAK_HUB_URL: hub.mqttUrl, SHUBBAK_DEVICE_SECRET: hub.secretOf('led-1'), SHUBBAK_AUDIO_DIR: TEST_CLIP_DIR, SHUBBAK_FIRMATA_HANDSHAKE_MS: '1500', SHUBBAK_FIRMATA_RETRY_MS: '300',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    program.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    program.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    t.after(() => stop(program));

    // REPORT_VERSION (0xF9) and QUERY_FIRMWARE (F0 79 F7): the port is open and Firmata is talking.
    await until('the Firmata version query at the far end', () => received.includes(0xf9), 30_000).catch((err) => {
      throw new Error(`${(err as Error).message}; program said:\n${output}`);
    });
    await until('QUERY_FIRMWARE after it', () => Buffer.from(received).includes(Buffer.from([0xf0, 0x79, 0xf7])), 10_000);
    assert.equal(program.exitCode, null, 'the program is running');
    assert.doesNotMatch(output, /Missing serialport dependency|Could not locate the bindings file/);

    await until('NO_HANDSHAKE on the health topic', () => healths.some((h) => h.board?.code === 'NO_HANDSHAKE'), 30_000);
    const h = healths.find((x) => x.board?.code === 'NO_HANDSHAKE')!;
    assert.equal(h.board!.state, 'offline');
    assert.match(h.board!.message!, /Firmata/);
    await until('and in the log', () => /board offline \[NO_HANDSHAKE\]/.test(output), 10_000);

    // It keeps trying: the port is opened again and asked again.
    const asked = received.filter((b) => b === 0xf9).length;
    await until('a second handshake attempt', () => received.filter((b) => b === 0xf9).length > asked, 30_000);
    await sleep(50);
    assert.equal(program.exitCode, null, 'still running, still retrying');
  });
});
