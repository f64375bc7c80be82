// `shubbak-device`: the device-side command a technician runs on a Pi (issue 10 item 5).
//
//   shubbak-device enroll https://hub:8443 ABCD-EFGH --ca-sha256 <hex> [--role keypad] [--settings FILE] [--no-restart]
//   shubbak-device enroll http://hub:8080 ABCD-EFGH …   (a demo hub without TLS)
//
// Over HTTPS (issue 17) the device does not yet trust the center's CA: the administrator's
// command carries the CA's SHA-256 fingerprint (--ca-sha256, as kubeadm's
// --discovery-token-ca-cert-hash). The CLI reads the certificates the hub presents without
// sending a byte, keeps the CA whose fingerprint matches, and only then sends the code over
// a connection fully verified against that CA; the CA is saved for the device program
// (SHUBBAK_CA_FILE). --ca-file uses a CA copied by hand instead.
//
// It redeems the one-time code the administrator got in the admin panel (POST /api/enroll,
// contract in enrollment.ts), writes the device id, its new secret and the broker address
// into /etc/shubbak/<role>.env (0600, the other settings in the file kept), and restarts the
// role's unit (`systemctl restart shubbak-<role>`). Every check that can fail locally runs
// before the code is sent, so a refused or failed enrollment leaves the code unused and the
// files unchanged. For tests: SHUBBAK_ETC_DIR (default /etc/shubbak) and SHUBBAK_SYSTEMCTL
// (default systemctl) point it elsewhere.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import tls from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { Compile } from 'typebox/compile';
import { isProgramEntry } from './entry.ts';
import { DEVICE_KINDS, ENROLL_ERRORS, EnrollResponse, type EnrollErrorCode } from './enrollment.ts';

type Role = (typeof DEVICE_KINDS)[number];
type Env = Record<string, string | undefined>;

export class CliError extends Error {
  constructor(readonly ar: string, readonly en: string, readonly exitCode = 1) {
    super(en);
  }
}

const USAGE = `usage: shubbak-device enroll <hub-url> <code> [--ca-sha256 HEX | --ca-file FILE] [--role kiosk|keypad|display|hall] [--settings FILE] [--no-restart]
  e.g. shubbak-device enroll https://192.168.1.10:8443 ABCD-EFGH --ca-sha256 3f0c…`;

export type EnrollArgs = { hubUrl: string; code: string; role?: Role; envFile?: string; restart: boolean; caSha256?: string; caFile?: string };

export function parseArgs(argv: string[]): EnrollArgs {
  const [cmd, ...rest] = argv;
  if (cmd !== 'enroll') throw new CliError('الأمر غير معروف', `unknown command "${cmd ?? ''}"\n${USAGE}`, 2);
  const pos: string[] = [];
  const a: EnrollArgs = { hubUrl: '', code: '', restart: true };
  for (let i = 0; i < rest.length; i++) {
    const x = rest[i];
    if (x === '--no-restart') a.restart = false;
    else if (x === '--ca-sha256' || x === '--ca-file') {
      const v = rest[++i];
      if (!v) throw new CliError(`القيمة ناقصة بعد ${x}`, `${x} needs a value\n${USAGE}`, 2);
      if (x === '--ca-file') a.caFile = v;
      else {
        const hex = v.replace(/:/g, '').toLowerCase();
        if (!/^[0-9a-f]{64}$/.test(hex)) throw new CliError('بصمة شهادة المركز غير صحيحة', `--ca-sha256 must be 64 hex digits, got "${v}"`, 2);
        a.caSha256 = hex;
      }
    } else if (x === '--role' || x === '--settings') {
      const v = rest[++i];
      if (!v) throw new CliError(`القيمة ناقصة بعد ${x}`, `${x} needs a value\n${USAGE}`, 2);
      if (x === '--role') {
        if (!(DEVICE_KINDS as readonly string[]).includes(v)) throw new CliError('نوع الجهاز غير معروف', `--role must be one of ${DEVICE_KINDS.join(', ')}`, 2);
        a.role = v as Role;
      } else a.envFile = v;
    } else if (x.startsWith('--')) throw new CliError('خيار غير معروف', `unknown option ${x}\n${USAGE}`, 2);
    else pos.push(x);
  }
  if (pos.length !== 2) throw new CliError('اكتب عنوان الخادم ورمز التسجيل', USAGE, 2);
  let url: URL;
  try {
    url = new URL(pos[0]);
  } catch {
    throw new CliError('عنوان الخادم غير صحيح', `the hub address must look like http://hub:8080, got "${pos[0]}"`, 2);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError('عنوان الخادم يبدأ بـ http:// أو https://', `the hub address must start with http:// or https://, got "${pos[0]}"`, 2);
  a.hubUrl = url.origin;
  a.code = pos[1];
  return a;
}

/** The role this Pi was installed as: the one /etc/shubbak/<role>.env its package left, if exactly one. */
export function installedRole(etcDir: string): Role | undefined {
  const found = DEVICE_KINDS.filter((r) => fs.existsSync(path.join(etcDir, `${r}.env`)));
  return found.length === 1 ? found[0] : undefined;
}

/** Replace (or append) KEY=value lines, keeping every other line — comments, pins, ports — as it was. */
export function setEnvKeys(text: string, values: Record<string, string>): string {
  const left = new Map(Object.entries(values));
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const out = lines.map((line) => {
    const m = /^\s*(?:#\s*)?([A-Z][A-Z0-9_]*)=/.exec(line);
    if (!m || !left.has(m[1])) return line;
    // A commented template line (#SHUBBAK_DEVICE_ID=) becomes the setting, in place.
    const v = left.get(m[1])!;
    left.delete(m[1]);
    return `${m[1]}=${v}`;
  });
  for (const [k, v] of left) out.push(`${k}=${v}`);
  return out.join('\n') + '\n';
}

/** Write a file whole or not at all (temp file, fsync, rename), owner-only. */
function writeAtomic(file: string, body: string, mode: number): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  const fd = fs.openSync(tmp, 'w', mode);
  try {
    fs.writeFileSync(fd, body);
    fs.fchmodSync(fd, mode);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

const checkResponse = Compile(EnrollResponse);

export type EnrollResult = { deviceId: string; role: Role; envFile: string; restarted: boolean };

export async function enroll(args: EnrollArgs, env: Env = process.env, log: (m: string) => void = console.log): Promise<EnrollResult> {
  const etcDir = env.SHUBBAK_ETC_DIR ?? '/etc/shubbak';
  const expect = args.role ?? (args.envFile ? undefined : installedRole(etcDir));
  // Local checks first: a code is spent only when its answer can be stored.
  const dirOf = (f: string) => path.dirname(f);
  const target = args.envFile ?? (expect ? path.join(etcDir, `${expect}.env`) : null);
  const dir = target ? dirOf(target) : etcDir;
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    if (target && fs.existsSync(target)) fs.accessSync(target, fs.constants.R_OK | fs.constants.W_OK);
  } catch {
    throw new CliError(`لا يمكن الكتابة في ${dir}. شغّل الأمر بصلاحية المدير (sudo)`, `cannot write to ${dir}: run it as root (sudo)`);
  }

  // Over HTTPS: the CA to verify the hub with, before the code leaves this machine.
  let ca: string | undefined;
  if (args.caFile) ca = readCa(args.caFile);
  else if (args.caSha256 && args.hubUrl.startsWith('https:')) ca = await pinnedCa(args.hubUrl, args.caSha256);
  const request = JSON.stringify(expect ? { code: args.code, kind: expect } : { code: args.code });
  let answer: { status: number; body: unknown };
  try {
    answer = await postJson(`${args.hubUrl}/api/enroll`, request, ca);
  } catch (err) {
    if (err instanceof CliError) throw err;
    const e = err as Error & { code?: string };
    const cause = e.cause instanceof Error ? (e.cause as Error & { code?: string }) : e;
    if (/CERT|SELF_SIGNED|UNABLE_TO|ALTNAME/.test(cause.code ?? '')) {
      throw new CliError('تعذر التحقق من شهادة الخادم. استخدم الأمر كما يظهر في لوحة الإدارة (مع --ca-sha256)', `the hub's certificate did not verify (${cause.code}): use the command from the admin panel, with --ca-sha256`);
    }
    throw new CliError(`تعذر الاتصال بالخادم ${args.hubUrl}. تأكد من العنوان والشبكة`, `cannot reach the hub at ${args.hubUrl}: ${cause.message}`);
  }
  const body = answer.body;
  if (answer.status < 200 || answer.status >= 300) {
    const e = (body as { error?: { code?: string; message?: string; messageEn?: string } } | null)?.error;
    const known = e?.code && e.code in ENROLL_ERRORS ? ENROLL_ERRORS[e.code as EnrollErrorCode] : null;
    throw new CliError(known?.ar ?? e?.message ?? `رفض الخادم الطلب (${answer.status})`, `${e?.code ?? answer.status}: ${known?.en ?? e?.messageEn ?? `the hub refused (${answer.status})`}`);
  }
  if (!checkResponse.Check(body)) throw new CliError('رد الخادم غير مفهوم', 'the hub answered with something that is not an enrollment');
  const r = body as EnrollResponse;
  const role = r.kind as Role;
  const envFile = args.envFile ?? path.join(etcDir, `${role}.env`);
  const before = fs.existsSync(envFile) ? fs.readFileSync(envFile, 'utf8') : '# Shubbak device settings, written by shubbak-device enroll.\n';
  const values: Record<string, string> = { SHUBBAK_HUB_URL: r.mqttUrl, SHUBBAK_DEVICE_ID: r.deviceId, SHUBBAK_DEVICE_SECRET: r.secret };
  if (r.caCert) {
    // Issue 17: the center's CA, for the device to check the broker's certificate. A pinned
    // or given CA must be the one the hub hands out, or the hub is not the one we checked.
    if (ca && normalizePem(ca) !== normalizePem(r.caCert)) throw new CliError('شهادة المركز التي أرسلها الخادم ليست التي تم التحقق منها', 'the hub handed out a CA other than the one it was verified with');
    const caFile = path.join(path.dirname(envFile), 'center-ca.pem');
    writeAtomic(caFile, r.caCert, 0o644);
    values.SHUBBAK_CA_FILE = caFile;
  }
  writeAtomic(envFile, setEnvKeys(before, values), 0o600);
  log(`تم تسجيل الجهاز ${r.deviceId} (${role}) وحُفظت بياناته في ${envFile}\nenrolled ${r.deviceId} (${role}); settings written to ${envFile}`);

  let restarted = false;
  if (args.restart) {
    const systemctl = env.SHUBBAK_SYSTEMCTL ?? 'systemctl';
    const unit = `shubbak-${role}.service`;
    const run = spawnSync(systemctl, ['restart', unit], { stdio: 'inherit' });
    if (run.status !== 0) {
      throw new CliError(`حُفظت البيانات لكن تعذرت إعادة تشغيل ${unit}. شغّل: systemctl restart ${unit}`, `settings saved, but restarting ${unit} failed (${run.error?.message ?? `exit ${run.status}`}); run: systemctl restart ${unit}`, 3);
    }
    restarted = true;
    log(`أُعيد تشغيل ${unit}\nrestarted ${unit}`);
  }
  return { deviceId: r.deviceId, role, envFile, restarted };
}

function normalizePem(pem: string): string {
  return pem.replace(/\s+/g, '');
}

function readCa(file: string): string {
  let pem: string;
  try {
    pem = fs.readFileSync(file, 'utf8');
    new X509Certificate(pem);
  } catch (err) {
    throw new CliError(`تعذرت قراءة شهادة المركز من ${file}`, `--ca-file ${file}: ${(err as Error).message}`, 2);
  }
  return pem;
}

/**
 * The hub's CA by its fingerprint: the certificates the hub presents are read during the
 * handshake and the connection is closed before anything is sent (so not verifying this
 * one connection exposes nothing); the CA is kept only if its SHA-256 is the pinned one and
 * it signed the hub's certificate. The enrollment itself then runs fully verified with it.
 */
async function pinnedCa(hubUrl: string, sha256: string): Promise<string> {
  const u = new URL(hubUrl);
  const chain = await new Promise<tls.PeerCertificate[]>((resolve, reject) => {
    const socket = tls.connect({
      host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || 443), servername: /^[\d.]+$|:/.test(u.hostname) ? undefined : u.hostname,
      // Read-only: the peer's certificates are compared with the pin below; nothing is written.
      rejectUnauthorized: false, timeout: 15_000,
    }, () => {
      const certs: tls.PeerCertificate[] = [];
      let c: tls.DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
      while (c && c.raw && !certs.some((x) => x.fingerprint256 === c!.fingerprint256)) {
        certs.push(c);
        c = c.issuerCertificate;
      }
      socket.destroy();
      resolve(certs);
    });
    socket.on('timeout', () => socket.destroy(new Error('timed out')));
    socket.on('error', reject);
  }).catch((err: Error) => {
    throw new CliError(`تعذر الاتصال بالخادم ${hubUrl}. تأكد من العنوان والشبكة`, `cannot reach the hub at ${hubUrl}: ${err.message}`);
  });
  const match = chain.find((c) => c.fingerprint256.replace(/:/g, '').toLowerCase() === sha256);
  if (!match) throw new CliError('شهادة الخادم لا تطابق بصمة المركز. لا يُرسل الرمز', 'the hub presented no CA with that --ca-sha256 fingerprint: the code was not sent');
  const b64 = match.raw.toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE-----\n${b64}${b64.endsWith('\n') ? '' : '\n'}-----END CERTIFICATE-----\n`;
}

/** POST JSON; over HTTPS with `ca`, the hub's certificate is verified against it (name, dates, chain). */
function postJson(url: string, body: string, ca?: string): Promise<{ status: number; body: unknown }> {
  if (!ca) {
    return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(15_000) })
      .then(async (res) => ({ status: res.status, body: (await res.json().catch(() => null)) as unknown }));
  }
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: 'POST', ca, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }, timeout: 15_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        let parsed: unknown = null;
        try {
          parsed = JSON.parse(text);
        } catch {
          /* not JSON: reported as a refusal by status */
        }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

export async function main(argv: string[]): Promise<number> {
  try {
    await enroll(parseArgs(argv));
    return 0;
  } catch (err) {
    if (err instanceof CliError) {
      console.error(`${err.ar}\n${err.en}`);
      return err.exitCode;
    }
    console.error(`خطأ غير متوقع\nunexpected error: ${(err as Error).stack ?? String(err)}`);
    return 1;
  }
}

if (isProgramEntry(import.meta.url, 'protocol/shubbak-device')) {
  process.exitCode = await main(process.argv.slice(2));
}
