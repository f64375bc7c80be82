// @shubbak/hardware: drivers only (no MQTT, no queue rules). Device programs use the
// bundles in devices.ts; the pieces are exported for tests, the simulator and the bench.
export type * from './types.ts';
export { createBoard, BoardError, boardHealth, boardLogLine, boardStatus, type BoardOptions, type BoardStatus, type BoardErrorCode, type IoKind, type ReadyBoard } from './board.ts';
export { FirmataLine, LineError, type LineErrorCode } from './firmata-line.ts';
export { LampButtonPanel, type ButtonPanelOptions } from './buttons.ts';
export { MatrixKeypad, PHONE_LAYOUT, type MatrixKeypadOptions } from './matrix-keypad.ts';
export { Max7219Digits, digitCodes, clampIntensity, type DigitsPins, type Max7219DigitsOptions } from './digits.ts';
export { Max7219Bus, MAX7219, type BusPins } from './max7219-bus.ts';
export { Max7219HallBoard, hallRowText, HALL_ROW_WIDTH, type Max7219HallBoardOptions } from './hall-board.ts';
export { segmentsOf, charOfSegments, fitDigits, looksLike } from './segments.ts';
export * as escpos from './printer/escpos.ts';
export { SerialTicketPrinter, PrinterError, openPrinterPort, unopenedPrinterPort, type PrinterErrorCode, type PrinterPort, type SerialPrinterOptions } from './printer/port.ts';
export { renderTicket, ticketDoc, ditherToMono, monoToPng, formatCairoTime, aheadText, waitText, PAPER_DOTS, NUMBER_SCALE } from './ticket/render.ts';
export { composeDoc } from './ticket/compose.ts';
export { FONT_A, glyphA } from './printer/resident-font.ts';
export { SimFirmata } from './sim/firmata.ts';
export { Max7219Decoder, MAX7219_REG, type Max7219Pins } from './sim/max7219.ts';
export { SimPrinter, stackBands, type PrintedTicket } from './sim/printer.ts';
export {
  createKioskHardware, createKeypadHardware, createWindowBoardHardware, createHallHardware, DEFAULT_PINS, type BoardLinkOptions,
  type SimControl, type Pin, type KioskHardware, type KioskHardwareConfig, type KeypadHardware, type KeypadHardwareConfig,
  type WindowBoardHardware, type WindowBoardHardwareConfig, type HallHardware, type HallHardwareConfig,
} from './devices.ts';
export { UsbLpLine, USBLP_PATH } from './printer/usblp.ts';
