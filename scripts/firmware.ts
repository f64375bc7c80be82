// Builds ShubbakFirmata (hardware/firmware/shubbak-firmata.c) for the Arduino Uno/Nano
// (ATmega328P, 16 MHz) with Debian's gcc-avr + avr-libc + binutils-avr (scripts/setup.sh
// installs them), and writes the .hex the technician flashes and the emulated Uno runs,
// with a record of the compiler and flags (shubbak-firmata.build.json) so a rebuild can be
// checked to give the same bytes (tests/unit/hardware-firmware.test.ts).
//   npm run firmware            rebuild hardware/firmware/shubbak-firmata.hex
//   npm run firmware -- --check rebuild in a temporary folder and compare (exit 1 if it differs)
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const FIRMWARE_DIR = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'hardware', 'firmware');
export const FIRMWARE_SOURCE = path.join(FIRMWARE_DIR, 'shubbak-firmata.c');
export const FIRMWARE_HEX = path.join(FIRMWARE_DIR, 'shubbak-firmata.hex');
export const FIRMWARE_RECORD = path.join(FIRMWARE_DIR, 'shubbak-firmata.build.json');
/** Fixed flags: the same source and compiler give the same image. */
export const CFLAGS = ['-mmcu=atmega328p', '-DF_CPU=16000000UL', '-Os', '-std=c11', '-Wall', '-Wextra', '-Wpedantic', '-Werror'];

export type BuildRecord = { compiler: string; flags: string[]; sha256: string; flashBytes: number };

/** avr-gcc's first version line, or null when it is not installed. */
export function compilerVersion(): string | null {
  try {
    return execFileSync('avr-gcc', ['--version'], { encoding: 'utf8' }).split('\n')[0].trim();
  } catch {
    return null;
  }
}

/** Compiles the source into `outDir`; returns the .hex text and its record. */
export function buildFirmware(outDir: string): { hex: string; record: BuildRecord } {
  const compiler = compilerVersion();
  if (!compiler) throw new Error('avr-gcc not found: apt-get install gcc-avr avr-libc binutils-avr (scripts/setup.sh does)');
  const elf = path.join(outDir, 'shubbak-firmata.elf');
  const hexFile = path.join(outDir, 'shubbak-firmata.hex');
  execFileSync('avr-gcc', [...CFLAGS, '-o', elf, FIRMWARE_SOURCE], { stdio: 'inherit' });
  execFileSync('avr-objcopy', ['-O', 'ihex', '-R', '.eeprom', elf, hexFile]);
  const size = execFileSync('avr-size', ['-A', elf], { encoding: 'utf8' });
  const flashBytes = ['.text', '.data'].reduce((n, s) => n + Number(new RegExp(`^\\${s}\\s+(\\d+)`, 'm').exec(size)?.[1] ?? 0), 0);
  const hex = fs.readFileSync(hexFile, 'utf8');
  return { hex, record: { compiler, flags: CFLAGS, sha256: createHash('sha256').update(hex).digest('hex'), flashBytes } };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shubbak-firmata-'));
  try {
    const { hex, record } = buildFirmware(tmp);
    if (process.argv.includes('--check')) {
      const same = fs.readFileSync(FIRMWARE_HEX, 'utf8') === hex;
      console.log(same ? `firmware: ${FIRMWARE_HEX} is what the source compiles to (${record.compiler})` : `firmware: ${FIRMWARE_HEX} differs from a rebuild (${record.compiler}): run npm run firmware`);
      process.exitCode = same ? 0 : 1;
    } else {
      fs.writeFileSync(FIRMWARE_HEX, hex);
      fs.writeFileSync(FIRMWARE_RECORD, `${JSON.stringify(record, null, 2)}\n`);
      console.log(`firmware: ${FIRMWARE_HEX} (${record.flashBytes} bytes of flash, sha256 ${record.sha256}, ${record.compiler})`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
