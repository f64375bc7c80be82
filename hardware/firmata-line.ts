// The Arduino's USB serial line, opened by the project itself with serialport 13 (the one
// copy the project installs), and handed to firmata-io as its transport. johnny-five would
// otherwise open the port with its own bundled serialport 8, whose native binding is not
// built here (the failure issue 9 names). The line stays one object for the program's
// life: when the cable is pulled out it keeps trying to open the path again (every
// retryMs), so the Firmata IO and johnny-five's components above it never change.
//
// Events: 'open' (each time the line is (re)opened: firmata-io hears it), 'data',
// 'lost' (an open line went away: cable pulled, device vanished mid-write) and
// 'failed' (an open attempt failed), each with a LineError carrying a stable code.
// It never emits 'error' or 'close', which firmata-io would turn into johnny-five errors.
import { EventEmitter } from 'node:events';
import { SerialPort } from 'serialport';
import type { BindingInterface } from './serial-binding.ts';

export type LineErrorCode = 'PORT_NOT_FOUND' | 'PORT_ACCESS' | 'PORT_BUSY' | 'PORT_OPEN_FAILED' | 'PORT_LOST';

export class LineError extends Error {
  override name = 'LineError';
  constructor(
    readonly code: LineErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Classifies an open failure by the OS error in it (bindings-cpp puts the errno text in the message). */
export function openFailure(path: string, err: Error & { code?: string }): LineError {
  const text = `${err.code ?? ''} ${err.message}`;
  if (/ENOENT|No such file/i.test(text)) return new LineError('PORT_NOT_FOUND', `${path} does not exist (is the Arduino plugged in? check SHUBBAK_FIRMATA_PORT)`);
  if (/EACCES|Permission denied/i.test(text)) return new LineError('PORT_ACCESS', `no permission to open ${path} (the service user must be in the dialout group)`);
  if (/EBUSY|lock|temporarily unavailable/i.test(text)) return new LineError('PORT_BUSY', `${path} is in use by another program`);
  return new LineError('PORT_OPEN_FAILED', `cannot open ${path}: ${err.message}`);
}

export type FirmataLineOptions = {
  path: string;
  baudRate?: number;
  /** A serialport binding other than the OS's (the emulated Uno's in tests). */
  binding?: BindingInterface;
  retryMs?: number;
};

type Port = InstanceType<typeof SerialPort>;

export class FirmataLine extends EventEmitter<{ open: []; data: [Buffer]; lost: [LineError]; failed: [LineError] }> {
  readonly path: string;
  readonly baudRate: number;
  private port: Port | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private opening = false;
  private readonly retryMs: number;

  constructor(private readonly opts: FirmataLineOptions) {
    super();
    this.path = opts.path;
    this.baudRate = opts.baudRate ?? 57600;
    this.retryMs = opts.retryMs ?? 1000;
  }

  get isOpen(): boolean {
    return this.port?.isOpen ?? false;
  }

  /** Opens now and keeps reopening whenever the line is lost, until close(). */
  start(): void {
    this.stopped = false;
    void this.tryOpen();
  }

  /**
   * firmata-io writes here. While the line is down the bytes are dropped, not queued: the
   * board state is written again in full after a reconnect, never replayed late.
   */
  write(data: Buffer | number[], cb?: (err?: Error | null) => void): boolean {
    const port = this.port;
    if (!port?.isOpen) {
      cb?.(null);
      return false;
    }
    return port.write(Buffer.from(data), (err) => cb?.(err ?? null));
  }

  /** Drops the line now and opens it again after retryMs (a board that did not answer). */
  recycle(reason: LineError): void {
    const port = this.port;
    this.port = null;
    if (port?.isOpen) port.close(() => {});
    port?.removeAllListeners();
    this.emit('lost', reason);
    this.scheduleRetry();
  }

  close(cb?: () => void): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const port = this.port;
    this.port = null;
    if (port?.isOpen) {
      port.close(() => cb?.());
    } else cb?.();
  }

  private scheduleRetry(): void {
    if (this.stopped || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.tryOpen();
    }, this.retryMs);
  }

  private async tryOpen(): Promise<void> {
    if (this.stopped || this.opening || this.port) return;
    this.opening = true;
    const opts = { path: this.path, baudRate: this.baudRate, autoOpen: false, ...(this.opts.binding ? { binding: this.opts.binding } : {}) };
    const port = new SerialPort(opts as ConstructorParameters<typeof SerialPort>[0]);
    try {
      await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    } catch (err) {
      this.opening = false;
      port.removeAllListeners();
      this.emit('failed', openFailure(this.path, err as Error));
      this.scheduleRetry();
      return;
    }
    this.opening = false;
    if (this.stopped) {
      port.close(() => {});
      return;
    }
    this.port = port;
    port.on('data', (d: Buffer) => {
      if (this.port === port) this.emit('data', d);
    });
    const gone = (err?: Error | null) => {
      if (this.port !== port) return;
      this.port = null;
      port.removeAllListeners();
      port.on('error', () => {});
      if (port.isOpen) port.close(() => {});
      this.emit('lost', new LineError('PORT_LOST', `${this.path} went away${err?.message ? `: ${err.message}` : ''} (USB cable pulled out?)`));
      this.scheduleRetry();
    };
    port.on('close', (err: Error | null) => gone(err));
    port.on('error', (err: Error) => gone(err));
    this.emit('open');
  }
}
