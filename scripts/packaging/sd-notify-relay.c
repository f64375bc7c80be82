/*
 * sd-notify-relay: forwards sd_notify messages for the hub (issue 10 item 4).
 *
 * systemd's readiness and watchdog protocol is a datagram on the AF_UNIX socket named in
 * $NOTIFY_SOCKET. Node has no unix datagram sockets, and `systemd-notify` run once per ping
 * is racy: systemd attributes a message to a unit by the sender's cgroup, and a sender that
 * has already exited may be dropped ("Cannot find unit for notify message"). So the hub
 * (hub/systemd-notify.ts) starts this helper once as its child and writes one message per
 * line on its stdin ("READY=1", "WATCHDOG=1", "STOPPING=1"); the helper lives as long as
 * the hub, in its cgroup (the unit sets NotifyAccess=all), and sends each line as one
 * datagram. It exits when stdin closes (the hub is gone) — then pings stop and systemd's
 * watchdog restarts the hub, which is the point. No library beyond libc; built by
 * scripts/package.ts with the target's C compiler (gcc, or aarch64-linux-gnu-gcc).
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

int main(void) {
  const char *path = getenv("NOTIFY_SOCKET");
  if (!path || !*path) {
    fprintf(stderr, "sd-notify-relay: NOTIFY_SOCKET is not set\n");
    return 2;
  }
  struct sockaddr_un addr;
  memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  size_t len = strlen(path);
  if (len >= sizeof addr.sun_path) {
    fprintf(stderr, "sd-notify-relay: NOTIFY_SOCKET is too long\n");
    return 2;
  }
  memcpy(addr.sun_path, path, len);
  if (path[0] == '@') addr.sun_path[0] = '\0'; /* abstract namespace */
  socklen_t alen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len);
  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    perror("sd-notify-relay: socket");
    return 1;
  }
  char line[4096];
  while (fgets(line, sizeof line, stdin)) {
    size_t n = strlen(line);
    if (n && line[n - 1] == '\n') line[--n] = '\0';
    if (!n) continue;
    if (sendto(fd, line, n, MSG_NOSIGNAL, (struct sockaddr *)&addr, alen) < 0) perror("sd-notify-relay: sendto");
  }
  return 0;
}
