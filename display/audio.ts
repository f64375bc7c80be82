// The hall's voice, offline: every clip a call can need is generated once with espeak-ng
// (Debian package) into a cache dir, the chime is synthesized here, and the Announcer plays
// each call's clips in order, one call at a time, never overlapping.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { AudioPlayer } from '@shubbak/hardware/types.ts';
import type { HallAnnounce } from '@shubbak/protocol';
import { allClips, announcementClips, CHIME, type Clip } from './speech.ts';
import { isProgramEntry } from '@shubbak/protocol/entry';

const run = promisify(execFile);
const RATE = 22050; // espeak-ng's own rate, so every clip shares one format

/** A mono 16-bit PCM WAV file. */
export function wav(samples: Int16Array, rate = RATE): Buffer {
  const data = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
  const h = Buffer.alloc(44);
  h.write('RIFF', 0); h.writeUInt32LE(36 + data.length, 4); h.write('WAVE', 8);
  h.write('fmt ', 12); h.writeUInt32LE(16, 16); h.writeUInt16LE(1, 20); h.writeUInt16LE(1, 22);
  h.writeUInt32LE(rate, 24); h.writeUInt32LE(rate * 2, 28); h.writeUInt16LE(2, 32); h.writeUInt16LE(16, 34);
  h.write('data', 36); h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}

/** A two-note "ding-dong" (E6 then C6) with a soft decay and a few overtones. */
export function chimeSamples(rate = RATE): Int16Array {
  const notes = [{ f: 1318.5, start: 0, len: 0.55 }, { f: 1046.5, start: 0.45, len: 0.9 }];
  const total = Math.ceil(rate * 1.4);
  const out = new Float32Array(total);
  for (const n of notes) {
    const s0 = Math.floor(n.start * rate);
    const len = Math.floor(n.len * rate);
    for (let i = 0; i < len && s0 + i < total; i++) {
      const t = i / rate;
      const env = Math.min(1, t / 0.005) * Math.exp(-t * 4);
      out[s0 + i] += env * (0.6 * Math.sin(2 * Math.PI * n.f * t) + 0.25 * Math.sin(4 * Math.PI * n.f * t) + 0.1 * Math.sin(6 * Math.PI * n.f * t));
    }
  }
  const pcm = new Int16Array(total);
  for (let i = 0; i < total; i++) pcm[i] = Math.round(Math.max(-1, Math.min(1, out[i] * 0.7)) * 32767);
  return pcm;
}

/** The cache is keyed by the clip texts and voice, so changing a word regenerates. */
function cacheStamp(clips: Clip[], voice: string): string {
  return createHash('sha256').update(voice + JSON.stringify(clips)).digest('hex').slice(0, 16);
}

export const clipFile = (dir: string, key: string): string => path.join(dir, `${key}.wav`);

/**
 * Make sure every clip exists in dir (espeak-ng for speech, code for the chime). Run at
 * install time (`tsx display/audio.ts <dir>`) or lazily at the first start; a second run
 * with the same texts does nothing.
 */
export async function ensureClips(dir: string, opts: { voice?: string; espeak?: string } = {}): Promise<{ generated: number }> {
  const voice = opts.voice ?? 'ar';
  const espeak = opts.espeak ?? 'espeak-ng';
  const clips = allClips();
  const stamp = cacheStamp(clips, voice);
  const stampFile = path.join(dir, '.stamp');
  // 0700: the default dir is data/audio, and a data dir this makes must pass the hub's own
  // permission check (hub/db/permissions.ts) when hub and board share a folder (the demo, tests).
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp) return { generated: 0 };
  fs.writeFileSync(clipFile(dir, CHIME.key), wav(chimeSamples()));
  // Two at a time: espeak-ng is quick, the Pi has few cores and the hall must keep working.
  const queue = [...clips];
  const worker = async () => {
    for (let c = queue.shift(); c; c = queue.shift()) {
      await run(espeak, ['-v', voice, '-s', '140', '-w', clipFile(dir, c.key), c.text]);
    }
  };
  await Promise.all([worker(), worker()]);
  fs.writeFileSync(stampFile, stamp);
  return { generated: clips.length + 1 };
}

/**
 * Plays calls in arrival order, one whole call at a time (clips of two calls never
 * interleave). Repeated deliveries of the same call (QoS 1) are played once.
 */
export class Announcer {
  private chain: Promise<void> = Promise.resolve();
  private readonly recent: string[] = [];
  private closed = false;
  pending = 0;

  constructor(
    private readonly player: AudioPlayer,
    private readonly clipDir: string,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  announce(a: HallAnnounce): Promise<void> {
    const id = `${a.ticket}|${a.window}|${a.at}|${a.recall}`;
    if (this.closed || this.recent.includes(id)) return Promise.resolve();
    this.recent.push(id);
    if (this.recent.length > 50) this.recent.shift();
    let files: string[];
    try {
      files = announcementClips(a).map((c) => clipFile(this.clipDir, c.key));
    } catch (err) {
      this.onError(err);
      return Promise.resolve();
    }
    this.pending++;
    this.chain = this.chain.then(async () => {
      try {
        for (const f of files) {
          if (this.closed) return;
          await this.player.play(f);
        }
      } catch (err) {
        this.onError(err);
      } finally {
        this.pending--;
      }
    });
    return this.chain;
  }

  /** Resolves when every queued call has been played. */
  idle(): Promise<void> {
    return this.chain;
  }

  close(): void {
    this.closed = true;
    this.player.close();
  }
}

if (isProgramEntry(import.meta.url, 'display/audio')) {
  const dir = path.resolve(process.argv[2] ?? 'data/audio');
  const r = await ensureClips(dir);
  console.log(`hall voice clips in ${dir}: ${r.generated ? `${r.generated} generated` : 'up to date'}`);
}
