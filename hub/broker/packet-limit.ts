// A guard in front of the broker: it reads each MQTT packet's fixed header as the bytes
// pass and closes the connection on a packet larger than the limit, before aedes buffers
// it. Payloads are at most 4 KiB by contract; without this a client could make the hub
// hold any amount of memory for one packet.
import { Duplex, Transform, type TransformCallback } from 'node:stream';

/** Room for a 4 KiB payload plus topic, ids and headers; anything bigger is not ours. */
export const MAX_MQTT_PACKET_BYTES = 16 * 1024;

export class PacketTooLarge extends Error {}

/**
 * Pass bytes through unchanged while tracking packet boundaries: a fixed header is one
 * type byte and a 1–4 byte "remaining length"; then that many bytes of packet body.
 */
export class PacketSizeGuard extends Transform {
  private header: number[] = []; // bytes of the fixed header read so far
  private remaining = 0; // body bytes still to pass of the current packet

  constructor(private readonly limit = MAX_MQTT_PACKET_BYTES) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, chunk.length - i);
        this.remaining -= take;
        i += take;
        continue;
      }
      this.header.push(chunk[i++]);
      if (this.header.length === 1) continue; // the packet type byte
      const last = this.header[this.header.length - 1];
      if (last & 0x80) {
        if (this.header.length > 4) return done(new PacketTooLarge('malformed remaining length'));
        continue;
      }
      let length = 0;
      for (let k = this.header.length - 1; k >= 1; k--) length = length * 128 + (this.header[k] & 0x7f);
      this.header = [];
      if (length > this.limit) return done(new PacketTooLarge(`MQTT packet of ${length} bytes, more than ${this.limit}`));
      this.remaining = length;
    }
    done(null, chunk);
  }
}

/**
 * The connection as aedes should see it: reads pass through the guard, writes go straight
 * to the connection; an over-size packet closes the connection and is reported.
 *
 * A plain Duplex rather than Duplex.from(): when aedes closed a connection after a normal
 * DISCONNECT, Duplex.from aborted its readable side, and that AbortError came back as a
 * guard error ("packet too large") and as an aedes client error on every disconnect
 * (issue 15, fault 11). Here only a PacketTooLarge is reported; closing is quiet.
 */
export function guardPacketSize(conn: Duplex, onRefused: (err: Error) => void, limit = MAX_MQTT_PACKET_BYTES): Duplex {
  const guard = new PacketSizeGuard(limit);
  const both = new Duplex({
    read() {
      guard.resume();
    },
    write(chunk: Buffer, _enc, done) {
      if (conn.destroyed) return done();
      conn.write(chunk, (err) => done(err && !conn.destroyed ? err : null));
    },
    // mqtt-packet writes a packet as several small chunks (header, length, topic, id,
    // payload) under cork; without writev each chunk went out as a write(2) of its own —
    // five or six system calls for one PUBLISH, the largest item of the hub's profile under
    // load (issue 16 item 3). What was written together goes out in one write.
    writev(chunks, done) {
      if (conn.destroyed) return done();
      conn.cork();
      for (let i = 0; i < chunks.length - 1; i++) conn.write(chunks[i].chunk);
      conn.write(chunks[chunks.length - 1].chunk, (err) => done(err && !conn.destroyed ? err : null));
      conn.uncork();
    },
    final(done) {
      conn.end();
      done();
    },
    destroy(err, done) {
      conn.destroy();
      guard.destroy();
      done(err);
    },
  });
  guard.on('data', (chunk: Buffer) => {
    if (!both.push(chunk)) guard.pause();
  });
  guard.on('end', () => both.push(null));
  guard.on('error', (err) => {
    if (err instanceof PacketTooLarge) onRefused(err);
    conn.destroy();
  });
  conn.on('error', () => {}); // a reset peer: the close below ends the session
  conn.on('close', () => both.destroy());
  conn.pipe(guard);
  return both;
}
