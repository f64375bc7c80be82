// npm run soak -- [--kills=100] [--fuzz-mqtt=25000] [--fuzz-http=16000] [--seed=N] [--only=crash|fuzz]
//                  [--load-min-ms=1000] [--load-max-ms=3000]   (load before each kill: a random moment in between)
// The long runs of the crash and fuzz suites (issue 15); `npm test` runs short ones
// (tests/integration/crash.test.ts, fuzz.test.ts). Prints the figures; exits 1 when any
// check failed, listing the problems. Not a benchmark: timings are only what the run took.
import { runCrashCampaign } from './soak/crash.ts';
import { isKnownFault, runFuzz } from './soak/fuzz.ts';
import { startTestHubStandalone } from './soak/standalone-hub.ts';

const args = Object.fromEntries(process.argv.slice(2).map((a) => {
  const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
  if (!m) {
    console.error(`unknown argument ${a}`);
    process.exit(2);
  }
  return [m[1], m[2] ?? 'true'];
}));
const num = (name: string, def: number) => {
  const v = args[name] === undefined ? def : Number(args[name]);
  if (!Number.isInteger(v) || v < 0) {
    console.error(`--${name} must be a whole number`);
    process.exit(2);
  }
  return v;
};
const kills = num('kills', 100);
const fuzzMqtt = num('fuzz-mqtt', 25_000);
const fuzzHttp = num('fuzz-http', 16_000);
const seed = num('seed', Date.now() % 1_000_000_007);
const only = args.only as string | undefined;
const loadMin = num('load-min-ms', 1000);
const loadMax = num('load-max-ms', 3000);
let failed = false;

if (only !== 'fuzz') {
  console.log(`crash campaign: ${kills} kills of a hub process under mixed MQTT + HTTP load…`);
  const f = await runCrashCampaign({ kills, minLoadMs: loadMin, maxLoadMs: Math.max(loadMin, loadMax), log: (l) => console.log(`  ${l}`) });
  console.log(`\ncrash: ${f.kills} kills, ${f.restarts} restarts in ${(f.durationMs / 60_000).toFixed(1)} min`);
  console.log(`  acknowledged replies ${f.acknowledgedReplies} (tickets ${f.ticketsIssued}, calls ${f.calls}, orders ${f.ordersCreated}, receipts ${f.receipts})`);
  console.log(`  re-sent ids and keys ${f.resent}`);
  console.log(`  problems: ${f.problems.length}`);
  for (const p of f.problems.slice(0, 50)) console.log(`    ${p}`);
  failed ||= f.problems.length > 0;
}

if (only !== 'crash') {
  console.log(`\nfuzz: ${fuzzMqtt} MQTT payloads, ${fuzzHttp} HTTP requests, seed ${seed}…`);
  const hub = await startTestHubStandalone();
  try {
    const t0 = performance.now();
    const f = await runFuzz(hub.target, { mqtt: fuzzMqtt, http: fuzzHttp, seed });
    console.log(`fuzz: in ${((performance.now() - t0) / 60_000).toFixed(1)} min`);
    console.log(`  MQTT ${f.mqttSent} sent, ${f.mqttAnswered} answered (${f.mqttRefused} refused, ${f.mqttAccepted} accepted)`);
    console.log(`  HTTP ${f.httpSent} over ${f.operations} operations: ${f.http4xx} 4xx, ${f.http2xx} 2xx, ${f.http5xx} 5xx`);
    const known = f.problems.filter(isKnownFault);
    const other = f.problems.filter((p) => !isKnownFault(p));
    console.log(`  problems: ${other.length}, and ${known.length} from faults already filed in issue 15`);
    for (const p of [...other, ...known].slice(0, 50)) console.log(`    ${p}`);
    failed ||= f.problems.length > 0;
  } finally {
    await hub.close();
  }
}
process.exit(failed ? 1 : 0);
