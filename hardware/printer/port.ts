// The serial-port adapter for an ESC/POS printer (TicketPrinter). One exchange at a time:
// a status query never goes out in the middle of a raster job, where the printer would
// read it as image data and the job's bytes would be mistaken for the answer.
// print(): status check → ESC @ → GS v 0 bands, each written and drained → feed + cut →
// status check again (paper that ran out mid-ticket makes print() reject, so the kiosk
// does not hand over a torn ticket as if it were whole).
import { EventEmitter } from 'node:events';
import { SerialPort, SerialPortMock } from 'serialport';
import type { SerialPortStream } from '@serialport/stream';
import type { MonoImage, PrintDoc, PrinterStatus, TicketPrinter } from '../types.ts';
import { UsbLpLine, USBLP_PATH } from './usblp.ts';
import { encodeDoc, STATUS_REQUEST, statusRequest, summarizeStatus, type StatusRequest } from './escpos.ts';

export type PrinterErrorCode = 'PRINTER_PAPER_OUT' | 'PRINTER_OFFLINE' | 'PRINTER_WRITE_FAILED' | 'PRINTER_TIMEOUT' | 'PRINTER_CLOSED';

export class PrinterError extends Error {
  override name = 'PrinterError';
  constructor(readonly code: PrinterErrorCode, message: string, readonly status?: PrinterStatus) {
    super(message);
  }
}

/** The printer's line: a serial port (or serialport's mock), or a USB printer-class device. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PrinterPort = SerialPortStream<any> | UsbLpLine;

export type SerialPrinterOptions = {
  /** How long to wait for the one-byte answer to DLE EOT. */
  replyTimeoutMs?: number;
  /** Status polling while idle (emits 'status' on change); 0 turns it off. */
  pollMs?: number;
  /** Rows per GS v 0 band. */
  bandRows?: number;
  /**
   * Opens the line again after it died (serialport destroys a stream on a write error, e.g.
   * a USB adapter pulled out). Tried on each status check while the line is down.
   */
  reopen?: () => Promise<PrinterPort>;
};

/**
 * Opens a printer's line: a serial port at baudRate, a USB printer-class device
 * (/dev/usb/lpN, no baud rate; or kind 'usblp' for another path), or serialport's
 * MockBinding for the sim (SerialPortMock.binding.createPort(path) first).
 */
export async function openPrinterPort(path: string, baudRate: number, kind: 'serial' | 'mock' | 'usblp' = 'serial'): Promise<PrinterPort> {
  const usb = kind === 'usblp' || (kind === 'serial' && USBLP_PATH.test(path));
  const port: PrinterPort = usb ? new UsbLpLine(path) : kind === 'mock' ? new SerialPortMock({ path, baudRate, autoOpen: false }) : new SerialPort({ path, baudRate, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  return port;
}

/** A not-yet-open line for a printer that was unplugged at boot: status checks keep trying to open it. */
export function unopenedPrinterPort(path: string, baudRate: number): PrinterPort {
  return USBLP_PATH.test(path) ? new UsbLpLine(path) : new SerialPort({ path, baudRate, autoOpen: false });
}

export class SerialTicketPrinter extends EventEmitter<{ status: [PrinterStatus] }> implements TicketPrinter {
  status: PrinterStatus = 'ok';
  private readonly replyTimeoutMs: number;
  private readonly bandRows: number;
  private readonly received: number[] = [];
  private waiter: (() => void) | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private poller: NodeJS.Timeout | null = null;
  private closed = false;
  private busy = 0;
  private port!: PrinterPort;
  private readonly reopen: (() => Promise<PrinterPort>) | undefined;
  private readonly onData = (chunk: Buffer) => {
    for (const b of chunk) this.received.push(b);
    this.waiter?.();
  };
  // A port error (unplugged USB adapter) must not crash the device program.
  private readonly onError = () => this.setStatus('offline');

  constructor(port: PrinterPort, opts: SerialPrinterOptions = {}) {
    super();
    this.replyTimeoutMs = opts.replyTimeoutMs ?? 500;
    this.bandRows = opts.bandRows ?? 64;
    this.reopen = opts.reopen;
    this.attach(port);
    const pollMs = opts.pollMs ?? 2000;
    if (pollMs > 0) {
      // A poll never queues behind a ticket: the ticket's own checks report its status.
      this.poller = setInterval(() => {
        if (this.busy === 0) void this.checkStatus().catch(() => {});
      }, pollMs);
    }
  }

  checkStatus(): Promise<PrinterStatus> {
    return this.exclusive(() => this.readStatus());
  }

  print(job: MonoImage | PrintDoc): Promise<void> {
    const doc: PrintDoc = 'blocks' in job ? job : { width: job.width, blocks: [{ kind: 'raster', image: job }] };
    // Encoded before the line is taken: a job the printer cannot print is refused whole.
    const chunks = encodeDoc(doc, this.bandRows);
    return this.exclusive(async () => {
      const before = await this.readStatus();
      if (before === 'paper-out') throw new PrinterError('PRINTER_PAPER_OUT', 'printer is out of paper', before);
      if (before === 'offline') throw new PrinterError('PRINTER_OFFLINE', 'printer is offline', before);
      for (const chunk of chunks) await this.send(chunk);
      const after = await this.readStatus();
      if (after === 'paper-out' || after === 'offline') {
        throw new PrinterError(after === 'paper-out' ? 'PRINTER_PAPER_OUT' : 'PRINTER_OFFLINE', `printer became ${after} during the ticket`, after);
      }
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.poller) clearInterval(this.poller);
    await this.queue.catch(() => {});
    this.removeAllListeners();
    if (this.port.isOpen) await new Promise<void>((resolve) => this.port.close(() => resolve()));
  }

  private attach(port: PrinterPort): void {
    if (this.port) {
      this.port.off('data', this.onData);
      this.port.off('error', this.onError);
    }
    this.port = port;
    port.on('data', this.onData);
    port.on('error', this.onError);
  }

  /** true when the line is open, reopening it first if it died and a reopen is configured. */
  private async lineUp(): Promise<boolean> {
    if (this.port.isOpen) return true;
    if (!this.reopen) return false;
    try {
      this.attach(await this.reopen());
      return this.port.isOpen;
    } catch {
      return false;
    }
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new PrinterError('PRINTER_CLOSED', 'printer is closed'));
    this.busy++;
    const run = this.queue.then(task, task).finally(() => this.busy--);
    this.queue = run.catch(() => {});
    return run;
  }

  private async readStatus(): Promise<PrinterStatus> {
    if (!(await this.lineUp())) {
      this.setStatus('offline');
      return 'offline';
    }
    const printer = await this.query(STATUS_REQUEST.printer);
    // No answer to the first question: the line is dead, do not wait three more timeouts.
    const paper = printer === null ? null : await this.query(STATUS_REQUEST.paperSensor);
    const cause = paper === null ? null : await this.query(STATUS_REQUEST.offlineCause);
    const status = summarizeStatus(printer, paper, cause);
    this.setStatus(status);
    return status;
  }

  private setStatus(status: PrinterStatus): void {
    if (status === this.status) return;
    this.status = status;
    this.emit('status', status);
  }

  /** Sends DLE EOT n and waits for its one-byte answer; null when none comes in time. */
  private async query(n: StatusRequest): Promise<number | null> {
    this.received.length = 0; // a late answer to an earlier, timed-out query is stale
    try {
      await this.send(statusRequest(n), this.replyTimeoutMs);
    } catch {
      return null;
    }
    if (this.received.length === 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, this.replyTimeoutMs);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.waiter = done;
      });
      this.waiter = null;
    }
    return this.received.length > 0 ? (this.received.shift() as number) : null;
  }

  /** Writes and drains one chunk; a stuck line (no flow, no CTS) rejects instead of hanging. */
  private send(chunk: Uint8Array, timeoutMs?: number): Promise<void> {
    const baud = this.port.baudRate || 9600;
    // 10 bits per byte on the wire, three times that for slack, plus a second.
    const limit = timeoutMs ?? Math.ceil(((chunk.length * 10) / baud) * 1000 * 3) + 1000;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new PrinterError('PRINTER_TIMEOUT', `printer write timed out after ${limit} ms`)), limit);
      const fail = (err: Error) => {
        clearTimeout(timer);
        reject(new PrinterError('PRINTER_WRITE_FAILED', `printer write failed: ${err.message}`));
      };
      this.port.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength), (err) => {
        if (err) return fail(err);
        this.port.drain((drainErr) => {
          if (drainErr) return fail(drainErr);
          clearTimeout(timer);
          resolve();
        });
      });
    });
  }
}
