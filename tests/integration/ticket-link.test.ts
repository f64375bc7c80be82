// The ticket's public link (issue 14 item 1) on every ticket: the kiosk prints it as a QR code
// (decoded here from the raster the printer received, with zbarimg from Debian's zbar-tools,
// scripts/setup.sh), reception's ticket carries it, SHUBBAK_PUBLIC_URL sets its base, and
// ctx.ticketLinks.forTicket gives it by ticket id (the SMS sender's function). The token is
// born in the ticket's own transaction: no ticket without one, no two alike.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { monoToPng, renderTicket } from '@shubbak/hardware';
import { startTestHub, tempDataDir } from '../helpers/hub.ts';
import { signIn } from '../helpers/staff.ts';
import { simOf, startSimDevice } from '../../hub/sim/sim-io.ts';
import type { KioskHandle } from '../../kiosk/main.ts';

const ZBARIMG = '/usr/bin/zbarimg';

function decodeQr(png: Buffer): string[] {
  const dir = tempDataDir();
  const file = path.join(dir, 'ticket.png');
  fs.writeFileSync(file, png);
  try {
    const out = execFileSync(ZBARIMG, ['--quiet', '--raw', '--nodbus', '-Sdisable', '-Sqrcode.enable', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return out.split('\n').filter(Boolean);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function until(what: string, pred: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('every ticket carries its public link', () => {
  test('the kiosk prints the ticket page link as a QR code that decodes to this ticket\'s page', async (t) => {
    assert.ok(fs.existsSync(ZBARIMG), `${ZBARIMG} is missing: npm run setup installs zbar-tools`);
    const hub = await startTestHub(t);
    const kiosk = await startSimDevice('kiosk-1', { hubUrl: hub.mqttUrl, secret: hub.secretOf('kiosk-1'), link: { minReconnectMs: 100, maxReconnectMs: 300 } }) as KioskHandle;
    t.after(() => kiosk.stop());
    await until('kiosk ready', () => kiosk.state().phase === 'ready' && kiosk.state().online && kiosk.state().lamps[0] === 'on');
    const printed = new Promise<string>((r) => kiosk.events.once('printed', r));
    simOf(kiosk.io)!.press(0);
    assert.equal(await printed, 'A001');
    const token = (hub.ctx.db.prepare("SELECT public_token FROM tickets WHERE label = 'A001'").get() as { public_token: string }).public_token;
    const link = `${hub.httpUrl}/t/${token}`;
    assert.equal(kiosk.lastPrinted!.link, link);
    // What the printer received over the serial line, decoded back to a bitmap, then to text.
    const raster = simOf(kiosk.io)!.lastPrinted()!;
    assert.deepEqual(decodeQr(monoToPng(raster)), [link]);
    // On 58 mm paper too.
    assert.deepEqual(decodeQr(renderTicket(kiosk.lastPrinted!, '58mm').png), [link]);
    // And the link opens this ticket's page.
    const page = await fetch(link);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /A001/);
    // A ticket without a link (the golden ticket, an older kiosk) prints no code.
    const { link: _l, ...plain } = kiosk.lastPrinted!;
    assert.throws(() => decodeQr(renderTicket(plain, '80mm').png));
  });

  test('reception tickets carry the link; SHUBBAK_PUBLIC_URL sets its base; forTicket gives it by id; every token is unique', async (t) => {
    const hub = await startTestHub(t, { config: { publicUrl: 'https://center.example.gov.eg/' } });
    const reception = await signIn(hub, 'reception');
    const links: string[] = [];
    for (const line of ['A', 'A', 'B', 'C']) {
      const r = await reception.inject({ method: 'POST', url: '/api/tickets', payload: { line } });
      assert.equal(r.statusCode, 200, r.body);
      const link = (r.json() as { ticket: { link: string } }).ticket.link;
      assert.match(link, /^https:\/\/center\.example\.gov\.eg\/t\/[A-Za-z0-9_-]{22}$/);
      links.push(link);
    }
    assert.equal(new Set(links).size, links.length);
    const rows = hub.ctx.db.prepare('SELECT id, public_token FROM tickets ORDER BY id').all() as { id: number; public_token: string | null }[];
    assert.equal(rows.length, 4);
    for (const [i, r] of rows.entries()) assert.equal(hub.ctx.ticketLinks.forTicket(r.id), links[i]);
    assert.equal(hub.ctx.ticketLinks.forTicket(999_999), null);
    // The unique index refuses a second ticket with the same token.
    assert.throws(() => hub.ctx.db.prepare('UPDATE tickets SET public_token = ? WHERE id = ?').run(rows[0].public_token, rows[1].id), /UNIQUE/);
  });
});
