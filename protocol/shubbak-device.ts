// `shubbak-device`: the device-side command a technician runs on a Pi (issue 10 item 5).
//
//   shubbak-device enroll http://hub:8080 ABCD-EFGH [--role keypad] [--settings FILE] [--no-restart]
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
import path from 'node:path';
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

const USAGE = `usage: shubbak-device enroll <hub-url> <code> [--role kiosk|keypad|display|hall] [--settings FILE] [--no-restart]
  e.g. shubbak-device enroll http://192.168.1.10:8080 ABCD-EFGH`;

export type EnrollArgs = { hubUrl: string; code: string; role?: Role; envFile?: string; restart: boolean };

export function parseArgs(argv: string[]): EnrollArgs {
  const [cmd, ...rest] = argv;
  if (cmd !== 'enroll') throw new CliError('الأمر غير معروف', `unknown command "${cmd ?? ''}"\n${USAGE}`, 2);
  const pos: string[] = [];
  const a: EnrollArgs = { hubUrl: '', code: '', restart: true };
  for (let i = 0; i < rest.length; i++) {
    const x = rest[i];
    if (x === '--no-restart') a.restart = false;
    else if (x === '--role' || x === '--settings') {
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

  let res: Response;
  try {
    res = await fetch(`${args.hubUrl}/api/enroll`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify(expect ? { code: args.code, kind: expect } : { code: args.code }),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (err) {
    throw new CliError(`تعذر الاتصال بالخادم ${args.hubUrl}. تأكد من العنوان والشبكة`, `cannot reach the hub at ${args.hubUrl}: ${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}`);
  }
  const body = (await res.json().catch(() => null)) as unknown;
  if (!res.ok) {
    const e = (body as { error?: { code?: string; message?: string; messageEn?: string } } | null)?.error;
    const known = e?.code && e.code in ENROLL_ERRORS ? ENROLL_ERRORS[e.code as EnrollErrorCode] : null;
    throw new CliError(known?.ar ?? e?.message ?? `رفض الخادم الطلب (${res.status})`, `${e?.code ?? res.status}: ${known?.en ?? e?.messageEn ?? `the hub refused (${res.status})`}`);
  }
  if (!checkResponse.Check(body)) throw new CliError('رد الخادم غير مفهوم', 'the hub answered with something that is not an enrollment');
  const r = body as EnrollResponse;
  const role = r.kind as Role;
  const envFile = args.envFile ?? path.join(etcDir, `${role}.env`);
  const before = fs.existsSync(envFile) ? fs.readFileSync(envFile, 'utf8') : '# Shubbak device settings, written by shubbak-device enroll.\n';
  const values: Record<string, string> = { SHUBBAK_HUB_URL: r.mqttUrl, SHUBBAK_DEVICE_ID: r.deviceId, SHUBBAK_DEVICE_SECRET: r.secret };
  if (r.caCert) {
    // Issue 17: the center's CA, for the device to check the broker's certificate.
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
