// Starts the simulated devices beside the hub (issue 3 fills this in).
import type { RunningHub } from '../hub.ts';

export async function startSimulator(hub: RunningHub): Promise<() => Promise<void>> {
  hub.app.log.warn('the device simulator is not built yet');
  return async () => {};
}
