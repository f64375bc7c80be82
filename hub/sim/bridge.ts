// The hub's handle on the simulated devices: it exists from buildApp on (so the /sim
// routes can be registered before listen), and the simulator attaches the devices
// process to it once the hub is up. Keeps the latest view of each device for new pages.
import { EventEmitter } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import type { DeviceView, SimMessage, SimRequest } from './views.ts';

export class SimBridge extends EventEmitter<{ view: [DeviceView] }> {
  readonly views = new Map<string, DeviceView>();
  private child: ChildProcess | null = null;

  constructor() {
    super();
    this.setMaxListeners(100); // one per open simulator page
  }

  get running(): boolean {
    return this.child !== null && this.child.connected;
  }

  attach(child: ChildProcess): void {
    this.child = child;
    child.on('message', (m: SimMessage) => {
      if (m?.type === 'view' && m.view?.id) {
        this.views.set(m.view.id, m.view);
        this.emit('view', m.view);
      }
    });
    child.on('exit', () => {
      if (this.child === child) this.child = null;
    });
  }

  /** Pass a page's request to the devices; false when the devices are not running. */
  send(req: SimRequest): boolean {
    if (!this.child?.connected) return false;
    this.child.send(req);
    return true;
  }
}
