// Issue 15, fault 1: the hub's lock on its data dir is a kernel lock that dies with its
// process, not a pid in a file. A pid file made the hub refuse to start after a crash
// whenever that pid belonged to someone else (after a reboot; in a container the hub is
// pid 1 again and refused forever). Here: a stale lock file naming a live unrelated pid
// does not stop the hub or a restore; two hubs on one data dir are refused; a hub killed
// with SIGKILL leaves nothing that stops the next start.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { startTestHub, tempDataDir } from '../helpers/hub.ts';
import { lockPath } from '../../hub/services/backup.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');

function cli(dataDir: string, ...args: string[]) {
  return run(process.execPath, ['--import', 'tsx', 'scripts/backup.ts', ...args], {
    cwd: ROOT, env: { ...process.env, SHUBBAK_DATA_DIR: dataDir },
  }).then((r) => ({ code: 0, ...r }), (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }));
}

/** The real hub (hub/server.ts) in its own process on the data dir; resolves once it is up. */
function hubProcess(dataDir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'hub/server.ts'], {
    cwd: ROOT,
    env: {
      ...process.env, SHUBBAK_DATA_DIR: dataDir, SHUBBAK_HOST: '127.0.0.1', SHUBBAK_HTTP_PORT: '0', SHUBBAK_MQTT_PORT: '0',
      SHUBBAK_SIMULATE: 'false', SHUBBAK_LOG_LEVEL: 'silent', SHUBBAK_PASSWORD_COST: '10',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const up = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('Shubbak hub is up')) resolve();
    });
    child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    child.once('exit', (code) => reject(new Error(`hub exited ${code}: ${out}`)));
  });
  return { child, up };
}

describe('one hub per data dir', () => {
  test('a stale lock file naming a live, unrelated pid (1, or this very process) does not stop the hub', async (t) => {
    for (const pid of [1, process.pid]) {
      const dataDir = tempDataDir();
      fs.writeFileSync(lockPath(dataDir), `${pid}\n`);
      const hub = await startTestHub(t, { dataDir });
      assert.ok(hub.httpPort > 0);
      await hub.close();
    }
  });

  test('a second hub on the same data dir is refused, in the same process and in another', async (t) => {
    const dataDir = tempDataDir();
    const first = await startTestHub(t, { dataDir });
    await assert.rejects(startTestHub(t, { dataDir }), /another hub is running on/);
    await first.close();
    // Released on close: the next start works.
    const again = await startTestHub(t, { dataDir });
    await again.close();
  });

  test('after kill -9 of a hub the next start works; while it ran, a second hub and a restore were refused', async (t) => {
    const dataDir = tempDataDir();
    // A backup to try to restore (taken by a hub that then closed normally).
    const h = await startTestHub(t, { dataDir });
    const b = await h.ctx.backups.backup('manual');
    assert.equal(b.error, null);
    await h.close();

    const p = hubProcess(dataDir);
    t.after(() => p.child.kill('SIGKILL'));
    await p.up;
    await assert.rejects(startTestHub(t, { dataDir }), /another hub is running on/);
    const refused = await cli(dataDir, 'restore', b.file);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /is running on .*; stop it before restoring/);

    const exited = new Promise((r) => p.child.once('exit', r));
    p.child.kill('SIGKILL');
    await exited;
    const next = await startTestHub(t, { dataDir });
    await next.close();

    // And with no hub running, a restore goes ahead even with an old pid file left behind.
    fs.rmSync(lockPath(dataDir), { force: true });
    fs.writeFileSync(lockPath(dataDir), '1\n');
    const restored = await cli(dataDir, 'restore', b.file);
    assert.equal(restored.code, 0, restored.stderr);
  });
});
