import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { allClips, announcementClips, numberClips } from '../../display/speech.ts';
import { Announcer, ensureClips } from '../../display/audio.ts';
import { checkDataPermissions } from '../../hub/db/permissions.ts';
import type { AudioPlayer } from '@shubbak/hardware/types.ts';

const words = (n: number) => numberClips(n).map((c) => c.text).join(' ');

describe("the hall's spoken announcements", () => {
  test('numbers are said in Arabic order: unit before ten, joined by و', () => {
    assert.equal(words(7), 'سبعة');
    assert.equal(words(12), 'اثنا عشر');
    assert.equal(words(25), 'خمسة وعشرون');
    assert.equal(words(40), 'أربعون');
    assert.equal(words(105), 'مئة وخمسة');
    assert.equal(words(1234), 'ألف ومئتان وأربعة وثلاثون');
    assert.throws(() => numberClips(10_000));
  });

  test('a call is chime, ticket letter and number, window number; every clip exists in the set', () => {
    const clips = announcementClips({ ticket: 'A012', window: 3 });
    assert.deepEqual(clips.map((c) => c.text), ['', 'التذكرة رقم', 'إيه', 'اثنا عشر', 'شباك رقم', 'ثلاثة']);
    const keys = new Set(allClips().map((c) => c.key));
    for (let n = 1; n <= 9999; n += 7) for (const c of numberClips(n)) assert.ok(keys.has(c.key), `${n}: ${c.key}`);
    assert.throws(() => announcementClips({ ticket: 'a1', window: 1 }));
  });

  class SlowRecorder implements AudioPlayer {
    played: string[] = [];
    playing = 0;
    maxPlaying = 0;
    async play(file: string) {
      this.playing++;
      this.maxPlaying = Math.max(this.maxPlaying, this.playing);
      this.played.push(path.basename(file, '.wav'));
      await new Promise((r) => setTimeout(r, 2));
      this.playing--;
    }
    close() {}
  }

  test('calls are played one at a time, whole, in order, and a repeated delivery once', async () => {
    const p = new SlowRecorder();
    const a = new Announcer(p, '/clips');
    const call1 = { ticket: 'A001', window: 1, at: 1, recall: false };
    a.announce(call1);
    a.announce({ ticket: 'B002', window: 4, at: 2, recall: false });
    a.announce(call1);
    await a.idle();
    assert.equal(p.maxPlaying, 1);
    assert.deepEqual(p.played, ['chime', 'p-ticket', 'l-A', 'n-1', 'p-window', 'n-1', 'chime', 'p-ticket', 'l-B', 'n-2', 'p-window', 'n-4']);
  });

  test('clips are generated once with espeak-ng as WAV files', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shubbak-clips-'));
    try {
      const first = await ensureClips(dir);
      assert.equal(first.generated, allClips().length + 1);
      for (const c of [...allClips(), { key: 'chime' }]) {
        const head = fs.readFileSync(path.join(dir, `${c.key}.wav`)).subarray(0, 12).toString('latin1');
        assert.match(head, /^RIFF.{4}WAVE$/s, c.key);
      }
      assert.equal((await ensureClips(dir)).generated, 0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the clip folder\'s missing parents are made private, so a board run in the hub\'s folder never blocks the hub\'s start', async () => {
    // Found after `npm test` in a clone: a board started with the default SHUBBAK_AUDIO_DIR
    // (data/audio) made ./data at 0755, and `npm start` then refused the data dir (hub/db/permissions.ts).
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'shubbak-clipdir-'));
    try {
      const dataDir = path.join(root, 'data');
      await ensureClips(path.join(dataDir, 'audio'));
      assert.equal(fs.statSync(dataDir).mode & 0o077, 0, `data is ${(fs.statSync(dataDir).mode & 0o777).toString(8)}`);
      assert.deepEqual(checkDataPermissions(dataDir, path.join(root, 'backups'), false), []);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
