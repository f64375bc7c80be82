// A serialport binding (the @serialport/bindings-interface shape) whose ports are the USB
// serial lines of emulated Unos (uno.ts): what the device program writes through
// serialport 13 reaches the firmware's USART at its baud rate, and what the firmware
// transmits comes back as reads. Like a real Uno, opening the port resets the board (DTR).
// unplug() is the USB cable pulled out: the path disappears, a pending read fails with EIO
// (serialport reports a disconnect), later writes fail; plug() brings the path back.
import type { BindingInterface, BindingPortInterface, OpenOptions, PortInfo, PortStatus } from '../serial-binding.ts';
import type { EmulatedUno } from './uno.ts';

class Canceled extends Error {
  readonly canceled = true;
}

function ioError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

class UnoPort implements BindingPortInterface {
  isOpen = true;
  private gone = false;
  private buffered: Buffer[] = [];
  private waiting: { resolve: () => void; reject: (e: Error) => void } | null = null;
  private readonly onTx = (b: Buffer) => {
    this.buffered.push(b);
    this.wakeReader();
  };

  constructor(
    readonly openOptions: Required<OpenOptions>,
    private readonly line: Line,
  ) {
    line.uno.on('tx', this.onTx);
  }

  private wakeReader(): void {
    const w = this.waiting;
    this.waiting = null;
    w?.resolve();
  }

  /** The cable went: reads and writes fail as on a vanished tty (not a cancel, so serialport reports a disconnect). */
  vanish(): void {
    if (!this.isOpen || this.gone) return;
    this.gone = true;
    this.buffered = [];
    this.line.uno.off('tx', this.onTx);
    const w = this.waiting;
    this.waiting = null;
    // The port stays "open" until serialport closes it on this disconnect, as with a real tty.
    w?.reject(ioError('EIO: input/output error, the device is gone', 'EIO'));
  }

  async close(): Promise<void> {
    if (!this.isOpen) throw new Error('Port is not open');
    this.isOpen = false;
    this.line.uno.off('tx', this.onTx);
    if (this.line.port === this) this.line.port = null;
    const w = this.waiting;
    this.waiting = null;
    w?.reject(new Canceled('Port closed'));
  }

  async read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }> {
    while (this.buffered.length === 0) {
      if (!this.isOpen) throw new Canceled('Port is not open');
      if (this.gone) throw ioError('EIO: input/output error, the device is gone', 'EIO');
      await new Promise<void>((resolve, reject) => (this.waiting = { resolve, reject }));
    }
    let bytesRead = 0;
    while (bytesRead < length && this.buffered.length) {
      const head = this.buffered[0];
      const n = Math.min(head.length, length - bytesRead);
      head.copy(buffer, offset + bytesRead, 0, n);
      bytesRead += n;
      if (n === head.length) this.buffered.shift();
      else this.buffered[0] = head.subarray(n);
    }
    return { buffer, bytesRead };
  }

  async write(buffer: Buffer): Promise<void> {
    if (!this.isOpen || this.gone) throw ioError('EIO: input/output error, write to a vanished device', 'EIO');
    this.line.written += buffer.length;
    this.line.uno.receive(buffer);
  }

  async update(): Promise<void> {}
  async set(): Promise<void> {}
  async get(): Promise<PortStatus> {
    return { cts: true, dsr: true, dcd: true };
  }
  async getBaudRate(): Promise<{ baudRate: number }> {
    return { baudRate: this.openOptions.baudRate };
  }
  async flush(): Promise<void> {
    this.buffered = [];
  }
  async drain(): Promise<void> {
    await this.line.uno.idle();
  }
}

type Line = { uno: EmulatedUno; plugged: boolean; port: UnoPort | null; opens: number; written: number };

export type UnoBinding = BindingInterface & {
  /** Puts an emulated Uno on a path (plugged in, powered on at the first open). */
  attach(path: string, uno: EmulatedUno): void;
  unplug(path: string): void;
  plug(path: string): void;
  /** How many times the port was opened, and bytes the host wrote: for tests. */
  stats(path: string): { opens: number; written: number };
};

export function createUnoBinding(): UnoBinding {
  const lines = new Map<string, Line>();
  const lineOf = (path: string) => {
    const l = lines.get(path);
    if (!l) throw new Error(`no emulated Uno on ${path}`);
    return l;
  };
  return {
    async list(): Promise<PortInfo[]> {
      return [...lines.entries()]
        .filter(([, l]) => l.plugged)
        .map(([path]) => ({ path, manufacturer: 'Arduino (emulated)', serialNumber: undefined, pnpId: undefined, locationId: undefined, productId: '0043', vendorId: '2341' }));
    },
    async open(options: OpenOptions): Promise<BindingPortInterface> {
      const line = lines.get(options.path);
      if (!line || !line.plugged) throw ioError(`Error: No such file or directory, cannot open ${options.path}`, 'ENOENT');
      if (line.port?.isOpen) throw ioError(`Error Resource temporarily unavailable Cannot lock port ${options.path}`, 'EBUSY');
      const opts = { dataBits: 8, lock: true, stopBits: 1, parity: 'none', rtscts: false, xon: false, xoff: false, xany: false, hupcl: true, ...options } as Required<OpenOptions>;
      const port = new UnoPort(opts, line);
      line.port = port;
      line.opens++;
      // DTR goes low on open: the Uno resets and StandardFirmata boots again.
      await line.uno.powerOn();
      return port;
    },
    attach(path, uno) {
      lines.set(path, { uno, plugged: true, port: null, opens: 0, written: 0 });
    },
    unplug(path) {
      const line = lineOf(path);
      line.plugged = false;
      line.uno.powerOff();
      line.port?.vanish();
      line.port = null;
    },
    plug(path) {
      lineOf(path).plugged = true;
    },
    stats(path) {
      const l = lineOf(path);
      return { opens: l.opens, written: l.written };
    },
  };
}
