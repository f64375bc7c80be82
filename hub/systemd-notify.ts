// Telling systemd the hub is up and alive (shubbak-hub.service: Type=notify, WatchdogSec=).
// The protocol is a datagram on the AF_UNIX socket in $NOTIFY_SOCKET; node cannot send unix
// datagrams, and running `systemd-notify` once per ping is racy (systemd drops a message
// whose sender has already exited). So the hub starts one small relay (scripts/packaging/
// sd-notify-relay.c, shipped in the package, path in $SHUBBAK_SD_NOTIFY) as a child that
// lives as long as the hub and writes each line it gets as one datagram. The watchdog ping
// runs on the hub's own event loop and first asks the database for an answer, so a stuck
// loop or a dead database stops the pings and systemd restarts the hub.
import { spawn, type ChildProcess } from 'node:child_process';

export type SystemdNotifier = {
  ready(status: string): void;
  stopping(): void;
  close(): void;
};

type Env = Record<string, string | undefined>;

/** null when not started by systemd with a notify socket (npm start, tests). */
export function startSystemdNotify(alive: () => void, log: (m: string) => void, env: Env = process.env): SystemdNotifier | null {
  if (!env.NOTIFY_SOCKET) return null;
  const helper = env.SHUBBAK_SD_NOTIFY;
  if (!helper) {
    log('NOTIFY_SOCKET is set but SHUBBAK_SD_NOTIFY (the sd-notify-relay helper) is not: systemd will not hear from the hub');
    return null;
  }
  let child: ChildProcess | null = spawn(helper, [], { stdio: ['pipe', 'ignore', 'inherit'], env: { NOTIFY_SOCKET: env.NOTIFY_SOCKET } });
  child.on('error', (err) => {
    log(`sd-notify-relay: ${err.message}`);
    child = null;
  });
  child.on('exit', (code) => {
    if (child) log(`sd-notify-relay exited (${code}); watchdog pings stop`);
    child = null;
  });
  child.stdin!.on('error', () => {});
  const send = (msg: string) => {
    // One message per line; a newline inside a status would split it.
    child?.stdin!.write(msg.replace(/\n/g, ' ') + '\n');
  };

  let timer: NodeJS.Timeout | null = null;
  const usec = Number(env.WATCHDOG_USEC);
  const forUs = !env.WATCHDOG_PID || Number(env.WATCHDOG_PID) === process.pid;
  if (usec > 0 && forUs) {
    timer = setInterval(() => {
      try {
        alive();
        send('WATCHDOG=1');
      } catch (err) {
        log(`watchdog: the hub is not healthy, no ping: ${(err as Error).message}`);
      }
    }, Math.max(500, Math.floor(usec / 2000)));
    timer.unref();
  }
  return {
    ready(status) {
      send('READY=1');
      send(`STATUS=${status}`);
    },
    stopping() {
      send('STOPPING=1');
    },
    close() {
      if (timer) clearInterval(timer);
      const c = child;
      child = null;
      c?.stdin!.end();
    },
  };
}
