// Every socket a listener accepted, so a stopping hub can end the ones nothing else will.
// A server's close() waits for its last connection, and some connections belong to no one
// who would end them at a stop: a TCP connection that never sent a byte (a port scan, a
// half-open link, a device that died mid-handshake) sits in the TLS handshake until its
// timeout or before MQTT CONNECT until aedes gives up (10 s each); a browser's spare
// connection that finishes its TLS handshake after the HTTP server closed its idle ones
// waits for keep-alive (72 s). Each held the hub's stop (systemd's stop, a restart); found
// when a test hub took over 30 s to stop in tests/tls/chromium-https.test.ts. Net-level
// 'connection' sees them all, TLS or not.
import type net from 'node:net';

export type SocketTracker = {
  /** Sockets still open. */
  readonly size: number;
  /** Destroy every socket still open; returns how many there were. */
  destroyAll(): number;
};

export function trackSockets(server: net.Server): SocketTracker {
  const open = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  return {
    get size() {
      return open.size;
    },
    destroyAll() {
      const n = open.size;
      for (const s of open) s.destroy();
      open.clear();
      return n;
    },
  };
}

/** How long requests in flight get to finish when the hub stops, before their sockets are cut. */
export const STOP_GRACE_MS = 2000;

/** Run a server's graceful close; whatever is still connected after the grace is cut. */
export async function closeWithin(close: () => Promise<unknown>, sockets: SocketTracker, graceMs = STOP_GRACE_MS): Promise<void> {
  const force = setTimeout(() => sockets.destroyAll(), graceMs);
  try {
    await close();
  } finally {
    clearTimeout(force);
  }
}
