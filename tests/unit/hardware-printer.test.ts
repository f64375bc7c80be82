// The serial printer adapter over serialport's MockBinding, against the sim printer that
// parses ESC/POS and answers DLE EOT.
import { describe, afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SerialPortMock } from 'serialport';
import { openPrinterPort, PrinterError, SerialTicketPrinter, SimPrinter, UsbLpLine, renderTicket, type MonoImage, type PrinterStatus } from '@shubbak/hardware';

let n = 0;
async function rig(t: import('node:test').TestContext, baud = 115200) {
  const path = `/dev/test-printer-${++n}`;
  SerialPortMock.binding.createPort(path);
  const port = await openPrinterPort(path, baud, 'mock');
  const device = new SimPrinter(port);
  const printer = new SerialTicketPrinter(port, { pollMs: 0, replyTimeoutMs: 100, bandRows: 64 });
  const statuses: PrinterStatus[] = [];
  printer.on('status', (s) => statuses.push(s));
  t.after(() => printer.close());
  return { device, printer, statuses };
}

afterEach(() => SerialPortMock.binding.reset());

function checker(width: number, height: number): MonoImage {
  const stride = Math.ceil(width / 8);
  const data = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) for (let i = 0; i < stride; i++) data[y * stride + i] = (y + i) % 2 ? 0xaa : 0x10 + (y % 200);
  return { width, height, data };
}

describe('the serial printer adapter', () => {
  test('a printed image decodes back byte for byte from the wire, in bands', async (t) => {
    const { device, printer } = await rig(t);
    const img = checker(576, 200);
    await printer.print(img);
    const ticket = device.lastTicket();
    assert.ok(ticket);
    assert.equal(ticket.bands.length, 4); // no blank row: 64 + 64 + 64 + 8 rows
    assert.equal(ticket.image.width, 576);
    assert.equal(ticket.image.height, 200);
    assert.deepEqual(Buffer.from(ticket.image.data), Buffer.from(img.data));
    assert.equal(printer.status, 'ok');
  });

  test('a rendered ticket comes out whole; two prints are two tickets', async (t) => {
    const { device, printer } = await rig(t);
    const { image } = renderTicket({ center: 'مركز', lineName: 'الخزينة', number: 'B007', ahead: 2, estimatedWaitMin: 6, issuedAt: 0, footer: 'شكراً' }, '58mm');
    await printer.print(image);
    await printer.print(image);
    assert.equal(device.tickets.length, 2);
    assert.deepEqual(Buffer.from(device.tickets[1].image.data), Buffer.from(image.data));
  });

  test('paper out: print rejects with PRINTER_PAPER_OUT, nothing is printed, status event', async (t) => {
    const { device, printer, statuses } = await rig(t);
    device.paper = 'paper-out';
    await assert.rejects(printer.print(checker(384, 10)), (e: unknown) => e instanceof PrinterError && e.code === 'PRINTER_PAPER_OUT');
    assert.equal(device.tickets.length, 0);
    assert.deepEqual(statuses, ['paper-out']);
    device.paper = 'ok';
    await printer.print(checker(384, 10));
    assert.equal(device.tickets.length, 1);
    assert.deepEqual(statuses, ['paper-out', 'ok']);
  });

  test('offline (no answer): checkStatus says offline and print rejects with PRINTER_OFFLINE', async (t) => {
    const { device, printer, statuses } = await rig(t);
    device.paper = 'offline';
    assert.equal(await printer.checkStatus(), 'offline');
    await assert.rejects(printer.print(checker(384, 10)), (e: unknown) => e instanceof PrinterError && e.code === 'PRINTER_OFFLINE');
    assert.deepEqual(statuses, ['offline']);
  });

  test('paper low still prints, and is reported', async (t) => {
    const { device, printer, statuses } = await rig(t);
    device.paper = 'paper-low';
    await printer.print(checker(384, 10));
    assert.equal(device.tickets.length, 1);
    assert.deepEqual(statuses, ['paper-low']);
  });

  test('polling notices a change while idle', async (t) => {
    const path = `/dev/test-printer-poll-${++n}`;
    SerialPortMock.binding.createPort(path);
    const port = await openPrinterPort(path, 115200, 'mock');
    const device = new SimPrinter(port);
    const printer = new SerialTicketPrinter(port, { pollMs: 20, replyTimeoutMs: 50 });
    t.after(() => printer.close());
    const seen = new Promise<PrinterStatus>((resolve) => printer.once('status', resolve));
    device.paper = 'paper-out';
    assert.equal(await seen, 'paper-out');
  });

  test('a closed printer refuses work with PRINTER_CLOSED', async (t) => {
    const { printer } = await rig(t);
    await printer.close();
    await assert.rejects(printer.print(checker(8, 1)), (e: unknown) => e instanceof PrinterError && e.code === 'PRINTER_CLOSED');
  });

  test('a write error (unplugged adapter) rejects print with PRINTER_WRITE_FAILED, then reports offline', async (t) => {
    const { device, printer } = await rig(t);
    const binding = (printer as unknown as { port: { port: { write(b: Buffer): Promise<void> } } }).port.port;
    const write = binding.write.bind(binding);
    let failNext = false;
    binding.write = async (b: Buffer) => {
      if (failNext && b[0] === 0x1d) {
        failNext = false;
        throw new Error('EIO');
      }
      return write(b);
    };
    failNext = true;
    await assert.rejects(printer.print(checker(384, 10)), (e: unknown) => e instanceof PrinterError && e.code === 'PRINTER_WRITE_FAILED' && /EIO/.test(e.message));
    // serialport destroys a stream after a write error: the printer is gone until the program reopens it.
    assert.equal(await printer.checkStatus(), 'offline');
    await assert.rejects(printer.print(checker(384, 10)), (e: unknown) => e instanceof PrinterError && e.code === 'PRINTER_OFFLINE');
    assert.equal(device.tickets.length, 0);
  });

  test('a stuck line rejects print with PRINTER_TIMEOUT instead of hanging', async (t) => {
    const { printer } = await rig(t);
    const binding = (printer as unknown as { port: { port: { write(b: Buffer): Promise<void> } } }).port.port;
    const write = binding.write.bind(binding);
    let stuck = false;
    // The first raster band never leaves (no CTS, a wedged USB adapter); later writes fail as a closed line would.
    binding.write = (b: Buffer) => (stuck ? Promise.reject(new Error('closed')) : b[0] === 0x1d ? ((stuck = true), new Promise<void>(() => {})) : write(b));
    const started = performance.now();
    await assert.rejects(printer.print(checker(384, 10)), (e: unknown) => e instanceof PrinterError && e.code === 'PRINTER_TIMEOUT');
    assert.ok(performance.now() - started < 5000);
  });

  test('with reopen, a line that died comes back on the next status check and prints again', async (t) => {
    const path = `/dev/test-printer-reopen-${++n}`;
    SerialPortMock.binding.createPort(path);
    const first = await openPrinterPort(path, 115200, 'mock');
    const device = new SimPrinter(first);
    let reopened = 0;
    const reopen = async () => {
      const port = await openPrinterPort(path, 115200, 'mock');
      device.attach(port);
      reopened++;
      return port;
    };
    const printer = new SerialTicketPrinter(first, { pollMs: 0, replyTimeoutMs: 100, reopen });
    t.after(() => printer.close());
    const statuses: PrinterStatus[] = [];
    printer.on('status', (s) => statuses.push(s));
    const binding = (first as unknown as { port: { write(b: Buffer): Promise<void> } }).port;
    binding.write = async () => {
      throw new Error('EIO');
    };
    await assert.rejects(printer.print(checker(384, 10)), PrinterError);
    assert.equal(await printer.checkStatus(), 'ok');
    assert.equal(reopened, 1);
    await printer.print(checker(384, 10));
    assert.equal(device.tickets.length, 1);
    assert.deepEqual(statuses, ['offline', 'ok']);
  });

  test('a printer missing at start is offline, and is picked up once it appears', async (t) => {
    const path = `/dev/test-printer-late-${++n}`;
    let device: SimPrinter | null = null;
    const reopen = async () => {
      const port = await openPrinterPort(path, 115200, 'mock');
      device = new SimPrinter(port);
      return port;
    };
    const printer = new SerialTicketPrinter(new SerialPortMock({ path, baudRate: 115200, autoOpen: false }), { pollMs: 0, replyTimeoutMs: 100, reopen });
    t.after(() => printer.close());
    assert.equal(await printer.checkStatus(), 'offline');
    await assert.rejects(printer.print(checker(384, 8)), (e: unknown) => e instanceof PrinterError && e.code === 'PRINTER_OFFLINE');
    SerialPortMock.binding.createPort(path); // plugged in
    assert.equal(await printer.checkStatus(), 'ok');
    await printer.print(checker(384, 8));
    assert.equal((device as SimPrinter | null)?.tickets.length, 1);
  });

  // A USB printer-class device (/dev/usb/lp0) has no baud rate and is read and written as a
  // file. Here a raw pseudo-terminal pair made by socat stands in for the cable: the adapter
  // opens one end as a usblp device, the simulated printer sits on the other.
  test('a USB printer-class line: the same ticket job, status answered over the device file', async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shubbak-usblp-'));
    const host = path.join(dir, 'lp0');
    const far = path.join(dir, 'printer');
    const socat = spawn('socat', [`pty,raw,echo=0,link=${host}`, `pty,raw,echo=0,link=${far}`], { stdio: 'ignore' });
    t.after(() => socat.kill());
    for (let i = 0; i < 200 && !(fs.existsSync(host) && fs.existsSync(far)); i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(fs.existsSync(host) && fs.existsSync(far), 'socat made the pty pair');

    const device = new SimPrinter(null);
    const printerEnd = new UsbLpLine(far);
    await new Promise<void>((resolve, reject) => printerEnd.open((err) => (err ? reject(err) : resolve())));
    printerEnd.on('data', (b) => device.receive(b));
    device.answerTo((b) => printerEnd.write(b));
    t.after(() => new Promise<void>((r) => printerEnd.close(() => r())));

    const port = await openPrinterPort(host, 0, 'usblp');
    assert.ok(port instanceof UsbLpLine);
    const printer = new SerialTicketPrinter(port, { pollMs: 0, replyTimeoutMs: 500 });
    t.after(() => printer.close());
    assert.equal(await printer.checkStatus(), 'ok');
    const { image, doc } = renderTicket({ center: 'مركز', lineName: 'الخزينة', number: 'B007', ahead: 2, estimatedWaitMin: 6, issuedAt: 0, footer: 'شكراً' }, '80mm');
    await printer.print(doc);
    for (let i = 0; i < 200 && device.tickets.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(device.tickets.length, 1);
    assert.deepEqual(Buffer.from(device.tickets[0].image.data), Buffer.from(image.data));

    device.paper = 'paper-out';
    await assert.rejects(printer.print(doc), (e: unknown) => e instanceof PrinterError && e.code === 'PRINTER_PAPER_OUT');
    assert.equal(device.tickets.length, 1);
  });

  test('a USB printer-class path that does not exist is offline, not a crash', async (t) => {
    const { unopenedPrinterPort } = await import('@shubbak/hardware');
    await assert.rejects(openPrinterPort('/dev/usb/lp97', 0), /ENOENT/);
    const printer = new SerialTicketPrinter(unopenedPrinterPort('/dev/usb/lp97', 0), { pollMs: 0, replyTimeoutMs: 50, reopen: () => openPrinterPort('/dev/usb/lp97', 0) });
    t.after(() => printer.close());
    assert.equal(await printer.checkStatus(), 'offline');
    await assert.rejects(printer.print(checker(384, 8)), (e: unknown) => e instanceof PrinterError && e.code === 'PRINTER_OFFLINE');
  });
});
