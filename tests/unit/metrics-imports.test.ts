// hub/ops/metrics.ts takes prom-client's four classes by path (issue 10: memory): its index
// also loads the default process metrics with the OpenTelemetry API, Summary's t-digest, the
// Pushgateway and the cluster aggregator, which the hub never uses (~1.7 MB of heap). Checked
// in a fresh process: what importing the metrics module loads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

test('the metrics module loads only the prom-client parts it uses, and they count', () => {
  const script = `
    const { createRequire } = await import('node:module');
    const { HubMetrics } = await import('./hub/ops/metrics.ts');
    const loaded = Object.keys(createRequire(import.meta.url)('module')._cache).filter((f) => f.includes('/node_modules/'));
    const { openDatabase } = await import('./hub/db/connection.ts');
    const fs = await import('node:fs');
    const dir = fs.mkdtempSync((await import('node:os')).tmpdir() + '/shubbak-metrics-');
    const m = new HubMetrics(openDatabase(dir + '/shubbak.db'), Date.now);
    m.commands.inc({ type: 'ticket.issue', result: 'ok' });
    m.commandSeconds.observe({ type: 'ticket.issue' }, 0.004);
    const text = await m.registry.metrics();
    fs.rmSync(dir, { recursive: true, force: true });
    console.log(JSON.stringify({ loaded, text }));
  `;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const { loaded, text } = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { loaded: string[]; text: string };
  const names = loaded.filter((f) => /node_modules\/(@opentelemetry|tdigest|bintrees|prom-client\/lib\/(defaultMetrics|summary|pushgateway|cluster))/.test(f));
  assert.deepEqual(names, []);
  assert.ok(loaded.some((f) => f.includes('prom-client/lib/counter')), 'prom-client loaded by path');
  assert.match(text, /shubbak_commands_total\{type="ticket.issue",result="ok"\} 1/);
  assert.match(text, /shubbak_command_duration_seconds_count\{type="ticket.issue"\} 1/);
});
