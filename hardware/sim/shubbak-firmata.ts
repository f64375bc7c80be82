// The project's own firmware for the emulated Uno: ShubbakFirmata (hardware/firmware/,
// a Firmata subset plus a MAX7219 sysex), as built from its source by `npm run firmware`.
// Refused unless the .hex is the one its build record names (SHA-256), so the tests and
// the bench cannot silently run a stale or hand-edited image; that the record matches the
// source is tests/unit/hardware-firmware.test.ts's job.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadImage, type UnoImage } from './uno.ts';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'firmware');
export const SHUBBAK_FIRMATA_HEX = path.join(DIR, 'shubbak-firmata.hex');
export const SHUBBAK_FIRMATA_RECORD = path.join(DIR, 'shubbak-firmata.build.json');
/** The name the firmware answers Firmata's firmware query with (what the drivers detect). */
export const SHUBBAK_FIRMATA_NAME = 'ShubbakFirmata';

let image: UnoImage | null = null;

export function shubbakFirmataImage(): UnoImage {
  if (image) return image;
  const record = JSON.parse(fs.readFileSync(SHUBBAK_FIRMATA_RECORD, 'utf8')) as { sha256: string };
  const img = loadImage(SHUBBAK_FIRMATA_HEX);
  if (img.sha256 !== record.sha256) throw new Error(`${SHUBBAK_FIRMATA_HEX} is not the image its build record names (sha256 ${img.sha256}): run npm run firmware`);
  image = img;
  return img;
}
