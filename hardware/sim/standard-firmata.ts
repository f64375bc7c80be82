// The firmware the emulated Uno runs: StandardFirmata 2.4 compiled for the Uno, as the npm
// package avrgirl-arduino ships it (a dev dependency, read from node_modules, never
// downloaded). Refused unless it is exactly that build (size and SHA-256), so the
// hardware-in-the-loop tests and the bench cannot silently run another image.
import { createRequire } from 'node:module';
import path from 'node:path';
import { loadImage, type UnoImage } from './uno.ts';

const require = createRequire(import.meta.url);

export const FIRMATA_HEX_BYTES = 34_320;
export const FIRMATA_HEX_SHA256 = '6d57ea7cf30e26c9c2f3a01ee37907d2c951f8bc9c27f84dddad12fa9c8b8f36';

export function firmataHexPath(): string {
  return path.join(path.dirname(require.resolve('avrgirl-arduino/package.json')), 'junk/hex/uno/StandardFirmata.cpp.hex');
}

let image: UnoImage | null = null;

export function standardFirmataImage(): UnoImage {
  if (image) return image;
  const file = firmataHexPath();
  const img = loadImage(file);
  if (img.bytes !== FIRMATA_HEX_BYTES || img.sha256 !== FIRMATA_HEX_SHA256) {
    throw new Error(`${file} is not the StandardFirmata image expected (${img.bytes} bytes, sha256 ${img.sha256})`);
  }
  image = img;
  return img;
}
