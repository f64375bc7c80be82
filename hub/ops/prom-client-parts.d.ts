// Types for the four prom-client modules hub/ops/metrics.ts imports by path instead of the
// package's index (which also loads its default process metrics, the OpenTelemetry API they
// use for exemplars, Summary's t-digest, the Pushgateway and the cluster aggregator: ~1.7 MB
// of heap, none of it used; issue 10: memory). They are the classes the index exports.
declare module 'prom-client/lib/counter.js' {
  import { Counter } from 'prom-client';
  export default Counter;
}
declare module 'prom-client/lib/gauge.js' {
  import { Gauge } from 'prom-client';
  export default Gauge;
}
declare module 'prom-client/lib/histogram.js' {
  import { Histogram } from 'prom-client';
  export default Histogram;
}
declare module 'prom-client/lib/registry.js' {
  import { Registry } from 'prom-client';
  export default Registry;
}
