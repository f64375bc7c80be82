// Debian's Chromium loads the panels over HTTPS with the center CA trusted, as a center's
// staff PC would after the administrator imports ca.pem once (issue 17, "Must show"): the
// CA goes into a temporary NSS database (certutil, libnss3-tools) that Chromium reads from
// $HOME/.pki/nssdb. A staff member signs in; the session cookie is Secure. Without the CA
// the same address is Chromium's certificate error, and no page of ours loads.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM, chromiumAvailable, screenshot, signInPage } from '../browser/chromium.ts';
import { run, startTlsHub } from './support.ts';

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

async function launchWithHome(home: string) {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, env: { ...process.env, HOME: home } });
}

describe('the panels over HTTPS (Chromium)', () => {
  test('Chromium trusts the center CA from its NSS database and loads the panels over HTTPS; without it, an error page', { skip: !chromiumAvailable() && 'no /usr/bin/chromium (npm run setup)' }, async (t) => {
    const hub = await startTlsHub(t);
    const base = `https://localhost:${hub.tls.httpsPort}`;

    // A staff PC that trusts the center: the CA imported into a fresh NSS database.
    const trusted = fs.mkdtempSync(path.join(os.tmpdir(), 'shubbak-nss-'));
    t.after(() => fs.rmSync(trusted, { recursive: true, force: true }));
    const db = `sql:${path.join(trusted, '.pki', 'nssdb')}`;
    fs.mkdirSync(path.join(trusted, '.pki', 'nssdb'), { recursive: true });
    const init = await run('certutil', ['-N', '-d', db, '--empty-password']);
    assert.equal(init.code, 0, init.stderr);
    const add = await run('certutil', ['-A', '-d', db, '-n', 'Shubbak center CA', '-t', 'C,,', '-i', hub.caFile]);
    assert.equal(add.code, 0, add.stderr);

    const browser = await launchWithHome(trusted);
    t.after(() => browser.close());
    const page = await signInPage(browser, { httpUrl: base, dataDir: hub.dataDir }, 'admin');
    assert.equal(new URL(page.url()).protocol, 'https:');
    const cookies = await page.context().cookies();
    assert.ok(cookies.length > 0);
    for (const c of cookies) assert.equal(c.secure, true, `${c.name} is Secure`);
    await screenshot(page, 'tls-panels-over-https');

    // A PC that does not trust it: Chromium's certificate error, our page never loads.
    const bare = fs.mkdtempSync(path.join(os.tmpdir(), 'shubbak-nss-'));
    t.after(() => fs.rmSync(bare, { recursive: true, force: true }));
    const other = await launchWithHome(bare);
    t.after(() => other.close());
    const p2 = await (await other.newContext()).newPage();
    await assert.rejects(p2.goto(`${base}/`), /ERR_CERT_AUTHORITY_INVALID/);
    assert.equal(await p2.getByLabel('اسم المستخدم').count(), 0);
  });
});
