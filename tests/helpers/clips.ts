// One folder of hall voice clips for the whole test run, outside the repository: the clips are
// made once with espeak-ng (display/audio.ts keeps a stamp) and every board started by a test
// reuses them — a fresh folder per test made each hall board spend seconds on espeak-ng
// before it opened its board, which timed tests out on a loaded machine.
import os from 'node:os';
import path from 'node:path';

export const TEST_CLIP_DIR = path.join(os.tmpdir(), `shubbak-test-clips-${process.getuid?.() ?? 0}`);
