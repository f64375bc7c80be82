#!/usr/bin/env bash
# Installs what Shubbak needs on a fresh Debian machine (run as root or with sudo):
# Debian's Chromium (browser tests; never a downloaded browser), mosquitto clients (the
# device contract from a shell, over TLS too), libnss3-tools (certutil: the TLS browser test
# trusts the center CA in a temporary NSS database), openssl (the hub's center CA signs
# with it, hub/tls/openssl.ts), espeak-ng, sox and alsa-utils (the hall's spoken Arabic
# calls: clips made with espeak-ng, played with aplay), socat (pseudo-terminal pairs that stand
# in for serial and USB-printer cables in tests), the C/C++ toolchain, python3 and systemd's
# tools (the installer test: scripts/package.ts compiles better-sqlite3 for the packaged
# Node 24 with node-gyp and the hub's sd-notify relay; systemd-analyze checks the units),
# zbar-tools (zbarimg reads back the QR code printed on the kiosk ticket, tests/integration/ticket-link.test.ts),
# gcc-avr, avr-libc and binutils-avr (ShubbakFirmata, hardware/firmware/: `npm run firmware`, and the
# test that the committed .hex is what its source compiles to),
# then the npm packages from the lock file. Packaging for arm64 also needs
# gcc-aarch64-linux-gnu and g++-aarch64-linux-gnu (not needed by the tests; see docs/install.md).
set -euo pipefail
cd "$(dirname "$0")/.."

# g++, make and python3: node-gyp, for better-sqlite3 (npm ci, and the Node 24 run, scripts/node24.sh).
debs=(chromium mosquitto-clients libnss3-tools openssl espeak-ng sox alsa-utils socat g++ make python3 systemd zbar-tools gcc-avr avr-libc binutils-avr)
missing=()
for p in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Debian's mosquitto broker: the bridge tests start their own on a free port (issue 13), and so
# does `npm run bench` for its reference round trip (issue 16); the packaged system service is
# not wanted (it would hold port 1883, the hub's MQTT port).
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
if [ ! -x /usr/sbin/mosquitto ]; then
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends mosquitto >/dev/null
fi
if systemctl is-enabled --quiet mosquitto 2>/dev/null || systemctl is-active --quiet mosquitto 2>/dev/null; then
  $sudo systemctl disable --now mosquitto >/dev/null 2>&1 || true
fi
# Debian's nats-server: the central tier's three-node JetStream cluster (scripts/nats-cluster.ts).
if [ ! -x /usr/sbin/nats-server ]; then
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nats-server >/dev/null
fi

# npm packages exactly as locked (install scripts only for the packages in allowScripts).
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
