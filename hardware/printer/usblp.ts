// A printer on the USB printer class (/dev/usb/lp0, the kernel's usblp driver): a character
// device with no baud rate, read and written as a file. It offers the few stream methods the
// printer adapter uses (write + drain, 'data' for DLE EOT answers, close), so the same
// adapter drives a serial and a USB printer. The descriptor is non-blocking: a read with no
// answer waiting returns EAGAIN instead of holding one of libuv's few pool threads, and a
// full device buffer (EAGAIN on write) is retried shortly. Status answers come back only
// from printers whose USB interface is bidirectional; a write-only one reads as offline,
// which the kiosk treats as "cannot vouch for the paper" (see port.ts).
import { EventEmitter } from 'node:events';
import fs from 'node:fs';

/** The kernel's names for usblp devices. */
export const USBLP_PATH = /^\/dev\/usb\/lp\d+$/;

const POLL_MS = 15;
const RETRY_MS = 5;

export class UsbLpLine extends EventEmitter<{ data: [Buffer]; error: [Error]; close: [] }> {
  /** No baud rate: the adapter's write timeouts then use its slowest assumption. */
  readonly baudRate = 0;
  private fd: number | null = null;
  private poller: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private readonly buf = Buffer.alloc(4096);
  private reading = false;

  constructor(readonly path: string) {
    super();
  }

  get isOpen(): boolean {
    return this.fd !== null;
  }

  open(cb: (err: Error | null) => void): void {
    fs.open(this.path, fs.constants.O_RDWR | fs.constants.O_NONBLOCK | fs.constants.O_NOCTTY, (err, fd) => {
      if (err) return cb(err);
      this.fd = fd;
      this.poller = setInterval(() => this.poll(), POLL_MS);
      this.poller.unref();
      cb(null);
    });
  }

  write(data: Buffer, cb?: (err?: Error | null) => void): boolean {
    this.writing = this.writing.then(() => this.writeAll(data)).then(
      () => cb?.(null),
      (err: Error) => {
        cb?.(err);
        this.fail(err);
      },
    );
    return true;
  }

  /** Resolves when every write so far has reached the device. */
  drain(cb: (err?: Error | null) => void): void {
    this.writing.then(() => cb(this.isOpen ? null : new Error('line closed')), cb);
  }

  close(cb?: (err?: Error | null) => void): void {
    const fd = this.fd;
    this.stop();
    if (fd === null) return cb?.(null);
    fs.close(fd, (err) => {
      this.emit('close');
      cb?.(err ?? null);
    });
  }

  private async writeAll(data: Buffer): Promise<void> {
    let at = 0;
    while (at < data.length) {
      if (this.fd === null) throw new Error('line closed');
      const fd = this.fd;
      try {
        at += await new Promise<number>((resolve, reject) => fs.write(fd, data, at, data.length - at, null, (err, n) => (err ? reject(err) : resolve(n))));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
        await new Promise((r) => setTimeout(r, RETRY_MS));
      }
    }
  }

  /** Reads what is waiting, until the device has nothing more (EAGAIN); one read chain at a time. */
  private poll(): void {
    const fd = this.fd;
    if (fd === null || this.reading) return;
    this.reading = true;
    fs.read(fd, this.buf, 0, this.buf.length, null, (err, n) => {
      this.reading = false;
      if (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') this.fail(err);
        return;
      }
      if (n > 0) {
        this.emit('data', Buffer.from(this.buf.subarray(0, n)));
        this.poll();
      }
    });
  }

  /** A vanished device (cable pulled: ENODEV/EIO) closes the line; the adapter reopens it later. */
  private fail(err: Error): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.stop();
    fs.close(fd, () => {});
    this.emit('error', err);
  }

  private stop(): void {
    if (this.poller) clearInterval(this.poller);
    this.poller = null;
    this.fd = null;
  }
}
