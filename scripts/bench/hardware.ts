// Hardware figures: ticket render time (Arabic shaping + dithering, both paper widths) and
// print-to-last-byte over serialport's MockBinding (the adapter's own cost: bands, drains,
// status exchanges — no wire time). The wire time a real serial line adds is computed from
// the job's size. Then the Firmata path, measured on emulated Unos (firmata-path.ts): the
// MAX7219 updates alone, and with the bench's hub, keypad press → window and hall boards.
// Run alone (no hub, so no end-to-end rows): tsx scripts/bench/hardware.ts
import { SerialPortMock } from 'serialport';
import { openPrinterPort, renderTicket, SerialTicketPrinter, SimPrinter, escpos, ticketDoc, type PaperWidth, type TicketContent } from '../../hardware/index.ts';
import { summary, type Row } from './lib.ts';
import { endToEndRows, firmwareRows } from './firmata-path.ts';

const TICKET: TicketContent = {
  center: 'المركز التكنولوجي لخدمة المواطنين — حي شرق مدينة نصر',
  lineName: 'استقبال الطلبات',
  number: 'A012',
  ahead: 3,
  estimatedWaitMin: 15,
  issuedAt: Date.UTC(2026, 10, 29, 8, 5),
  footer: 'احتفظ بالتذكرة حتى يُنادى رقمك — شكراً لزيارتكم',
};
const RENDERS = 50;
const PRINTS = 30;

export async function run(env?: Parameters<typeof endToEndRows>[0]): Promise<Row[]> {
  const rows: Row[] = [];
  // The job alone, as a kiosk renders it (ticketDoc), then with the whole image and PNG
  // (renderTicket: tests, the simulator's page).
  const renderMs = (render: (c: TicketContent, p: PaperWidth) => unknown, paper: PaperWidth) => {
    const times: number[] = [];
    for (let i = 0; i < RENDERS; i++) {
      const t0 = performance.now();
      render({ ...TICKET, number: `A${String(i).padStart(3, '0')}` }, paper);
      times.push(performance.now() - t0);
    }
    return summary(times);
  };
  for (const paper of ['80mm', '58mm'] as const) {
    ticketDoc(TICKET, paper); // fonts load once
    const s = renderMs(ticketDoc, paper);
    rows.push({ name: `ticket render ${paper}, p50`, value: s.p50, unit: 'ms' }, { name: `ticket render ${paper}, p99`, value: s.p99, unit: 'ms' });
  }
  for (const paper of ['80mm', '58mm'] as const) {
    rows.push({ name: `ticket render ${paper} with its whole image and PNG (tests, the simulator's page), p50`, value: renderMs(renderTicket, paper).p50, unit: 'ms' });
  }

  const { doc, image } = renderTicket(TICKET, '80mm');
  const jobBytes = escpos.jobBytes(escpos.encodeDoc(doc));
  const rawBytes = escpos.jobBytes(escpos.rasterBands(image)); // the whole ticket as one raster, as before issue 16
  const path = `/dev/bench-printer-${process.pid}`;
  SerialPortMock.binding.createPort(path);
  const port = await openPrinterPort(path, 115200, 'mock');
  const device = new SimPrinter(port);
  const printer = new SerialTicketPrinter(port, { pollMs: 0 });
  try {
    const times: number[] = [];
    for (let i = 0; i < PRINTS; i++) {
      const before = device.tickets.length;
      const t0 = performance.now();
      await new Promise<void>((resolve, reject) => {
        printer.print(doc).catch(reject);
        const check = () => (device.tickets.length > before ? resolve() : setImmediate(check));
        check();
      });
      times.push(performance.now() - t0);
    }
    const s = summary(times);
    rows.push(
      { name: 'print 80mm ticket to last byte (MockBinding), p50', value: s.p50, unit: 'ms' },
      { name: 'print 80mm ticket to last byte (MockBinding), p99', value: s.p99, unit: 'ms' },
      { name: '80mm ticket job size (target ≤ 11 KiB)', value: jobBytes / 1024, unit: 'KiB' },
      { name: '80mm ticket as one full-width raster (before)', value: rawBytes / 1024, unit: 'KiB' },
      // 8N1: 10 bits on the wire a byte.
      { name: '80mm ticket wire time at 115200 baud', value: (jobBytes * 10) / 115200, unit: 's' },
      { name: '80mm ticket wire time at 19200 baud', value: (jobBytes * 10) / 19200, unit: 's' },
      { name: '80mm ticket wire time at 9600 baud', value: (jobBytes * 10) / 9600, unit: 's' },
    );
  } finally {
    await printer.close();
    SerialPortMock.binding.reset();
  }
  // The firmware path, measured on emulated Unos running StandardFirmata (firmata-path.ts).
  rows.push(...(await firmwareRows()));
  if (env) rows.push(...(await endToEndRows(env)));
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await run()) console.log(`  ${r.name}: ${r.value.toFixed(2)} ${r.unit}`);
}
