// The PUBACK of a device's command leaves with the command's reply (issue 16 item 3). aedes
// acknowledges a QoS 1 PUBLISH by writing its PUBACK at once, before the broker even hands
// the command on; the reply follows after the command's commit. Two writes to the same
// socket per command — each a system call that also wakes the device — and the first one
// on the command's own path before its SQL. Here the PUBACK of an accepted command is held
// and written just before the next packet to that connection (its reply, in the same
// writev), or by a sweep at most ~2 × SWEEP_MS later when no packet follows (a connection
// that does not take its replies). MQTT allows this: a PUBACK may come any time; PUBACKs
// stay in the order their PUBLISHes came (held ones go out before any later one), and a
// command's PUBACK now follows its commit instead of preceding it.
//
// The hold is done where aedes writes packets: mqtt-packet's writeToStream, on the copy
// aedes loads (looked up at each write), so no packet path of aedes changes.
import { createRequire } from 'node:module';

type Packet = { cmd: string; messageId?: number };
type WriteToStream = (packet: Packet, stream: object, opts?: unknown) => boolean;
type Hold = { ids: Set<number>; held: Packet[]; since: number };

/** How often held acknowledgements without a following packet are let go. */
export const SWEEP_MS = 50;

const holds = new WeakMap<object, Hold>();
const pending = new Set<object>();
let original: WriteToStream | null = null;
let sweeper: NodeJS.Timeout | null = null;
let sweeps = 0;

function release(stream: object, h: Hold): void {
  const acks = h.held;
  h.held = [];
  pending.delete(stream);
  if ((stream as { destroyed?: boolean }).destroyed) return;
  for (const p of acks) original!(p, stream);
}

function sweep(): void {
  sweeps++;
  for (const stream of pending) {
    const h = holds.get(stream);
    if (!h) {
      pending.delete(stream);
      continue;
    }
    if (h.since < sweeps - 1) release(stream, h);
  }
}

/** Wrap aedes's mqtt-packet writeToStream once per process. */
export function installAckHold(): void {
  if (original) return;
  const fromAedes = createRequire(createRequire(import.meta.url).resolve('aedes'));
  const mod = fromAedes('mqtt-packet') as { writeToStream: WriteToStream };
  original = mod.writeToStream;
  const write = original;
  mod.writeToStream = function writeToStream(packet: Packet, stream: object, opts?: unknown): boolean {
    const h = holds.get(stream);
    if (h) {
      if (packet.cmd === 'puback' && packet.messageId !== undefined && h.ids.delete(packet.messageId)) {
        if (!h.held.length) h.since = sweeps;
        h.held.push(packet);
        pending.add(stream);
        return true;
      }
      if (h.held.length) release(stream, h);
    }
    return write(packet, stream, opts);
  };
  sweeper = setInterval(sweep, SWEEP_MS);
  sweeper.unref();
}

/** Hold the PUBACK for this QoS 1 PUBLISH (by its message id) on this connection until its next packet. */
export function holdAck(stream: object, messageId: number): void {
  let h = holds.get(stream);
  if (!h) holds.set(stream, (h = { ids: new Set(), held: [], since: 0 }));
  // A message id whose PUBACK never came (refused later in aedes) must not hold a later one for long.
  if (h.ids.size > 64) h.ids.clear();
  h.ids.add(messageId);
}
