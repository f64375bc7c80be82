#!/usr/bin/env bash
# npm run check:install — what a center's machine does, for real, in a scratch directory:
# clone the committed tree, `npm ci`, `npm run build`, `npm ci --omit=dev` (tsx, esbuild and
# TypeScript are gone), then run the built hub with plain node:
#   1. production (SHUBBAK_MODE=production): serves the panels and the prebuilt assets, the
#      broker hands the retained clock to the hub's MQTT identity, HTTPS and MQTT over TLS
#      answer verified against the center CA it made (issue 17), /sim is absent, and
#      nothing it prints holds the first administrator's password;
#   2. the demo, from the same production install: the built simulated devices come online.
# CI runs it after the suites (.ci/run). Needs the registry (npm ci) and mosquitto-clients
# (scripts/setup.sh). Leaves nothing behind: the scratch dir and the hubs go at exit.
set -euo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/shubbak-install-XXXXXX")"
hub_pid=""
cleanup() {
  if [ -n "$hub_pid" ] && kill -0 "$hub_pid" 2>/dev/null; then kill "$hub_pid"; wait "$hub_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "check:install: FAILED — $*" >&2; [ -f "$work/hub.log" ] && sed 's/^/  hub| /' "$work/hub.log" >&2; exit 1; }
step() { echo "check:install: $*"; }

step "clone $(git -C "$src" rev-parse --short HEAD) into $work"
git clone -q "$src" "$work/shubbak"
git -C "$work/shubbak" checkout -q --detach "$(git -C "$src" rev-parse HEAD)"
cd "$work/shubbak"

step "npm ci"
npm ci --no-audit --no-fund --loglevel=error >/dev/null
step "npm run build"
npm run build --silent
step "npm ci --omit=dev"
npm ci --omit=dev --no-audit --no-fund --loglevel=error >/dev/null
for dev in tsx esbuild typescript; do
  [ ! -e "node_modules/$dev" ] || fail "$dev is still installed after --omit=dev"
done

# Starts dist/hub/server.js with the given environment; sets hub_pid, http, mqtt_port.
start_hub() {
  : >"$work/hub.log"
  env -i PATH="$PATH" HOME="$HOME" SHUBBAK_DATA_DIR="$work/data-$1" SHUBBAK_HOST=127.0.0.1 \
    SHUBBAK_HTTP_PORT=0 SHUBBAK_MQTT_PORT=0 SHUBBAK_HTTPS_PORT=0 SHUBBAK_MQTTS_PORT=0 SHUBBAK_PASSWORD_COST=12 "${@:2}" \
    node dist/hub/server.js >"$work/hub.log" 2>&1 &
  hub_pid=$!
  for _ in $(seq 1 120); do
    grep -q 'MQTT for devices' "$work/hub.log" && break
    kill -0 "$hub_pid" 2>/dev/null || fail "the built hub exited"
    sleep 0.5
  done
  grep -q 'MQTT for devices' "$work/hub.log" || fail "the built hub did not start in 60 s"
  http="$(grep -o 'http://127.0.0.1:[0-9]*' "$work/hub.log" | head -1)"
  mqtt_port="$(grep -o 'mqtt://127.0.0.1:[0-9]*' "$work/hub.log" | head -1 | sed 's/.*://')"
}
stop_hub() {
  kill "$hub_pid"
  wait "$hub_pid" || fail "the built hub did not exit cleanly on SIGTERM"
  hub_pid=""
}
status_of() { curl -s -o /dev/null -w '%{http_code}' "$1"; }

step "production: node dist/hub/server.js with SHUBBAK_MODE=production"
start_hub prod SHUBBAK_MODE=production SHUBBAK_CENTER_ID=install-check
[ "$(status_of "$http/")" = 200 ] || fail "GET / is not 200"
[ "$(status_of "$http/assets/app.js")" = 200 ] || fail "GET /assets/app.js is not 200"
[ "$(status_of "$http/sim")" = 404 ] || fail "/sim exists in production"
clock="$(mosquitto_sub -h 127.0.0.1 -p "$mqtt_port" -i hub.install-check -u hub -P "$(cat "$work/data-prod/hub.secret")" \
  -t shubbak/v1/clock -C 1 -W 10)" || fail "no retained clock from the broker"
echo "$clock" | grep -q '"at"' || fail "unexpected clock message: $clock"
# TLS (issue 17): HTTPS and MQTT over TLS verified against the center CA the hub made.
https_port="$(sed -n 's|.*staff panels and API: *https://[^:]*:\([0-9]*\)/.*|\1|p' "$work/hub.log" | head -1)"
mqtts_port="$(sed -n 's|.*MQTT for devices: *mqtts://[^:]*:\([0-9]*\).*|\1|p' "$work/hub.log" | head -1)"
[ -n "$https_port" ] && [ -n "$mqtts_port" ] || fail "production did not announce its TLS ports"
ca="$work/data-prod/tls/ca.pem"
[ "$(stat -c %a "$work/data-prod/tls/ca.key")" = 600 ] || fail "the center CA key is not 0600"
[ "$(curl -s --cacert "$ca" -o /dev/null -w '%{http_code}' "https://localhost:$https_port/")" = 200 ] || fail "GET https://localhost:$https_port/ with the center CA is not 200"
tls_clock="$(mosquitto_sub -h localhost -p "$mqtts_port" --cafile "$ca" -i hub.install-tls -u hub -P "$(cat "$work/data-prod/hub.secret")" \
  -t shubbak/v1/clock -C 1 -W 10)" || fail "no retained clock over MQTT/TLS"
echo "$tls_clock" | grep -q '"at"' || fail "unexpected clock message over TLS: $tls_clock"
password="$(sed -n 's/^password=//p' "$work/data-prod/first-admin-password")"
[ -n "$password" ] || fail "no first-admin-password file"
[ "$(stat -c %a "$work/data-prod/first-admin-password")" = 600 ] || fail "first-admin-password is not 0600"
stop_hub
! grep -qF "$password" "$work/hub.log" || fail "the one-time password was printed"

step "demo from the production install: the built simulated devices"
start_hub demo SHUBBAK_LOG_LEVEL=warn
for _ in $(seq 1 120); do grep -q 'simulated devices:' "$work/hub.log" && break; sleep 0.5; done
grep -q 'simulated devices:' "$work/hub.log" || fail "the simulated devices did not start"
views="$(curl -sN --max-time 3 "$http/sim/events" || true)"
echo "$views" | grep -q '"id":"keypad-1","kind":"keypad","online":true' || {
  sleep 3
  views="$(curl -sN --max-time 3 "$http/sim/events" || true)"
  echo "$views" | grep -q '"id":"keypad-1","kind":"keypad","online":true' || fail "keypad-1 is not online: $views"
}
stop_hub

step "ok — npm ci --omit=dev and node dist/hub/server.js serve the panels and MQTT"
