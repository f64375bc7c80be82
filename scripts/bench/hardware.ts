// Hardware figures: ticket render time (Arabic shaping + dithering, both paper widths) and
// print-to-last-byte over serialport's MockBinding (the adapter's own cost: bands, drains,
// status exchanges — no wire time). The wire time a real serial line adds is computed from
// the job's size. Run alone: tsx scripts/bench/hardware.ts
import { SerialPortMock } from 'serialport';
import { createBoard, Max7219Digits, Max7219HallBoard, openPrinterPort, renderTicket, SerialTicketPrinter, SimPrinter, escpos, type TicketContent } from '../../hardware/index.ts';
import { summary, type Row } from './lib.ts';

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

export async function run(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const paper of ['80mm', '58mm'] as const) {
    renderTicket(TICKET, paper); // fonts load once
    const times: number[] = [];
    for (let i = 0; i < RENDERS; i++) {
      const t0 = performance.now();
      renderTicket({ ...TICKET, number: `A${String(i).padStart(3, '0')}` }, paper);
      times.push(performance.now() - t0);
    }
    const s = summary(times);
    rows.push({ name: `ticket render ${paper}, p50`, value: s.p50, unit: 'ms' }, { name: `ticket render ${paper}, p99`, value: s.p99, unit: 'ms' });
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
  rows.push(...(await max7219Traffic()));
  return rows;
}

/** MAX7219 updates are bit-banged: each pin write is a 3-byte Firmata message (57600 baud on StandardFirmata). */
async function max7219Traffic(): Promise<Row[]> {
  const firmataSeconds = (writes: number) => (writes * 3 * 10) / 57600;
  const pins = { data: 11, clock: 13, cs: 10 };
  const board = await createBoard({ io: 'sim' });
  let writes = 0;
  board.sim!.onPinWrite(() => writes++);
  const out: Row[] = [];
  const digits = new Max7219Digits({ board: board.board, pins, width: 4 });
  writes = 0;
  digits.show('A012');
  out.push({ name: 'window board update (4 digits): pin writes', value: writes, unit: '' }, { name: 'window board update over Firmata at 57600 (computed)', value: firmataSeconds(writes) * 1000, unit: 'ms' });
  digits.close();
  const board2 = await createBoard({ io: 'sim' });
  const hall = new Max7219HallBoard({ board: board2.board, pins, rows: 6 });
  writes = 0;
  board2.sim!.onPinWrite(() => writes++);
  hall.show([1, 2, 3, 4, 5, 6].map((i) => ({ ticket: `A00${i}`, window: i })));
  out.push({ name: 'hall board full update (6 rows): pin writes', value: writes, unit: '' }, { name: 'hall board full update over Firmata at 57600 (computed)', value: firmataSeconds(writes) * 1000, unit: 'ms' });
  writes = 0;
  hall.show([0, 1, 2, 3, 4, 5].map((i) => ({ ticket: `A00${i}`, window: i })));
  out.push({ name: 'hall board new call (rows shift): pin writes', value: writes, unit: '' });
  hall.close();
  board.close();
  board2.close();
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await run()) console.log(`  ${r.name}: ${r.value.toFixed(2)} ${r.unit}`);
}
