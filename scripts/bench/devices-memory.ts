// Runs one device program alone (sim IO), makes it do its job once, and reports its
// resident memory to the bench (devices.ts) over IPC.
import { simOf, startSimDevice } from '../../hub/sim/sim-io.ts';

import type { KioskHandle } from '../../kiosk/main.ts';

const id = process.argv[2];
if (id === 'none') process.send!({ rssMb: process.memoryUsage().rss / 1024 / 1024 });
else try {
  const dev = await startSimDevice(id, { hubUrl: process.env.SHUBBAK_HUB_URL!, devicesFile: process.env.SHUBBAK_DEVICES_FILE! });
  const end = Date.now() + 10_000;
  while (!dev.link.isOnline && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  if (id.startsWith('kiosk')) {
    const k = dev as KioskHandle;
    while (k.state().lamps[0] !== 'on' && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    const printed = new Promise((r) => k.events.once('printed', r));
    simOf(k.io)!.press(0);
    await printed; // the canvas and font are loaded now
  } else if (id.startsWith('keypad')) simOf(dev.io)!.press(1); // recall: a round trip without changing the queue
  await new Promise((r) => setTimeout(r, 1000));
  global.gc?.();
  process.send!({ rssMb: process.memoryUsage().rss / 1024 / 1024 });
  await dev.stop();
} catch (err) {
  process.send!({ error: (err as Error).message });
}
