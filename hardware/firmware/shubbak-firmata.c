/*
 * ShubbakFirmata — the Arduino Uno/Nano (ATmega328P, 16 MHz) firmware for Shubbak's
 * device boards: a Firmata 2.5 subset that johnny-five / firmata-io drive unchanged,
 * plus one sysex command that writes MAX7219 registers with the firmware shifting the
 * bits itself.
 *
 * Why: on StandardFirmata the host bit-bangs the MAX7219 bus, two 3-byte port messages
 * per bit at 57600 baud, so a window board takes 17-67 ms and a hall board's new call
 * ~500 ms (hardware/README.md, `npm run bench -- --only=hardware`). Issue 16 asks for
 * ≤ 50 ms and ≤ 150 ms. Here a register write costs 3 bytes on the wire for a whole
 * 16-bit word, and the shifting runs at CPU speed.
 *
 * Protocol (Firmata 2.5, https://github.com/firmata/protocol protocol.md; the sysex
 * messages from its capability/analog-mapping/pin-state query sections):
 *   0xF9                         report version        -> F9 02 05
 *   F0 79 F7                     query firmware        -> F0 79 01 00 "ShubbakFirmata" (7-bit pairs) F7
 *   F0 6B F7                     capability query      -> per pin: INPUT, OUTPUT, PULLUP (D2-D19)
 *   F0 69 F7                     analog mapping query  -> A0-A5 = D14-D19 = channels 0-5 (names only)
 *   F0 6D pin F7                 pin state query       -> F0 6E pin mode state F7
 *   F0 7A lsb msb F7             sampling interval (kept; it paces nothing here: no analog input)
 *   F4 pin mode                  set pin mode: 0 INPUT, 1 OUTPUT, 0x0B PULLUP (others refused)
 *   9p lsb msb                   digital port p: sets OUTPUT pins; on INPUT pins a 1 turns the
 *                                pull-up on (as StandardFirmata 2.4 does: johnny-five's isPullup)
 *   F5 pin value                 set one digital pin
 *   Dp enable                    report digital port p: sent at once, then on every change
 *   FF                           system reset: every pin an input, no reporting
 * Not implemented (no Shubbak device uses them): analog input, PWM, servo, I2C, serial.
 *
 * The MAX7219 sysex (a user-defined command ID, Firmata reserves 0x00-0x0F for those):
 *   F0 0C cs clk din chips { device  register|(value>>7)<<4  value&0x7F }* F7
 * cs/clk/din are Arduino pin numbers (2-19), chips the chain length (1-16), then triples:
 * the device in the chain (0 = the chip wired to the Arduino), the register (0-15) and
 * the 8-bit value. The triples are grouped into frames in order: a frame takes one word
 * per chip, a new frame starts when a device comes again, chips not named in a frame get
 * a no-op word. Each frame: CS low, the farthest chip's word first, 16 bits MSB first
 * (DIN set while CLK is low, sampled on the rise), CS high latches. A bad message changes
 * nothing and answers STRING_DATA (F0 71 ... F7) naming what was wrong.
 *
 * Built with Debian's gcc-avr + avr-libc (scripts/firmware.ts, `npm run firmware`); the
 * committed shubbak-firmata.hex is checked against a rebuild by tests/unit/hardware-firmware.test.ts.
 */
#include <avr/io.h>
#include <avr/interrupt.h>
#include <stdint.h>

#define FIRMWARE_NAME "ShubbakFirmata"
#define FIRMWARE_MAJOR 1
#define FIRMWARE_MINOR 0
#define PROTOCOL_MAJOR 2
#define PROTOCOL_MINOR 5

/* Firmata command bytes */
#define DIGITAL_MESSAGE 0x90
#define REPORT_ANALOG 0xC0
#define REPORT_DIGITAL 0xD0
#define ANALOG_MESSAGE 0xE0
#define START_SYSEX 0xF0
#define SET_PIN_MODE 0xF4
#define SET_DIGITAL_PIN_VALUE 0xF5
#define END_SYSEX 0xF7
#define REPORT_VERSION 0xF9
#define SYSTEM_RESET 0xFF
/* sysex commands */
#define MAX7219_WRITE 0x0C
#define ANALOG_MAPPING_QUERY 0x69
#define ANALOG_MAPPING_RESPONSE 0x6A
#define CAPABILITY_QUERY 0x6B
#define CAPABILITY_RESPONSE 0x6C
#define PIN_STATE_QUERY 0x6D
#define PIN_STATE_RESPONSE 0x6E
#define STRING_DATA 0x71
#define REPORT_FIRMWARE 0x79
#define SAMPLING_INTERVAL 0x7A
/* pin modes */
#define MODE_INPUT 0x00
#define MODE_OUTPUT 0x01
#define MODE_PULLUP 0x0B
#define MODE_UNSET 0x7F

#define PINS 20         /* D0-D13, A0-A5 as D14-D19 */
#define FIRST_PIN 2     /* D0/D1 are the USB serial line */
#define FIRMATA_PORTS 3 /* D0-7, D8-15, D16-19 */
#define SYSEX_MAX 400   /* a hall board's full rewrite is 13 frames x 6 chips x 3 bytes = 234 */
#define MAX_CHIPS 16

/* ---- serial line: 57600 8N1, interrupt-driven ring buffers ---- */
#define RX_SIZE 128
#define TX_SIZE 128
static volatile uint8_t rx_buf[RX_SIZE], rx_head, rx_tail;
static volatile uint8_t tx_buf[TX_SIZE], tx_head, tx_tail;

ISR(USART_RX_vect) {
  uint8_t b = UDR0;
  uint8_t next = (uint8_t)((rx_head + 1) % RX_SIZE);
  if (next != rx_tail) { /* full: the byte is lost, as on any UART */
    rx_buf[rx_head] = b;
    rx_head = next;
  }
}

/* Sends the next byte; the interrupt is switched off with the last one, so it never runs on
 * an empty buffer (avr8js, the emulator the tests use, clears UDRE when the interrupt is
 * taken, where the chip keeps it set until UDR0 is written: an empty run would stall it). */
ISR(USART_UDRE_vect) {
  if (tx_head == tx_tail) {
    UCSR0B &= (uint8_t)~_BV(UDRIE0);
    return;
  }
  UDR0 = tx_buf[tx_tail];
  tx_tail = (uint8_t)((tx_tail + 1) % TX_SIZE);
  if (tx_head == tx_tail) UCSR0B &= (uint8_t)~_BV(UDRIE0);
}

static void serial_init(void) {
  /* U2X: UBRR = 16 MHz / (8 x 57600) - 1 = 34 (57143 baud, -0.8 %), as the Arduino core sets it */
  UCSR0A = _BV(U2X0);
  UBRR0 = 34;
  UCSR0C = _BV(UCSZ01) | _BV(UCSZ00);
  UCSR0B = _BV(RXEN0) | _BV(TXEN0) | _BV(RXCIE0);
}

static void tx(uint8_t b) {
  uint8_t next = (uint8_t)((tx_head + 1) % TX_SIZE);
  while (next == tx_tail) { /* full: the UDRE interrupt drains it */
  }
  tx_buf[tx_head] = b;
  cli(); /* the interrupt must not see the new head before it is switched on */
  tx_head = next;
  UCSR0B |= _BV(UDRIE0);
  sei();
}

static int rx(void) {
  if (rx_head == rx_tail) return -1;
  uint8_t b = rx_buf[rx_tail];
  rx_tail = (uint8_t)((rx_tail + 1) % RX_SIZE);
  return b;
}

/* ---- pins: Arduino number -> AVR port registers ---- */
static volatile uint8_t *port_reg(uint8_t pin) { return pin < 8 ? &PORTD : pin < 14 ? &PORTB : &PORTC; }
static volatile uint8_t *ddr_reg(uint8_t pin) { return pin < 8 ? &DDRD : pin < 14 ? &DDRB : &DDRC; }
static volatile uint8_t *in_reg(uint8_t pin) { return pin < 8 ? &PIND : pin < 14 ? &PINB : &PINC; }
static uint8_t pin_bit(uint8_t pin) { return (uint8_t)_BV(pin < 8 ? pin : pin < 14 ? pin - 8 : pin - 14); }

static uint8_t pin_mode[PINS];
static uint8_t report_port[FIRMATA_PORTS];
static uint8_t last_report[FIRMATA_PORTS];
static uint16_t sampling_ms = 19;

static void write_pin(uint8_t pin, uint8_t high) {
  if (high) *port_reg(pin) |= pin_bit(pin);
  else *port_reg(pin) &= (uint8_t)~pin_bit(pin);
}

static void set_mode(uint8_t pin, uint8_t mode) {
  uint8_t bit = pin_bit(pin);
  switch (mode) {
  case MODE_OUTPUT:
    write_pin(pin, 0); /* low before driving, as StandardFirmata 2.4 does */
    *ddr_reg(pin) |= bit;
    break;
  case MODE_INPUT:
    *ddr_reg(pin) &= (uint8_t)~bit;
    write_pin(pin, 0);
    break;
  case MODE_PULLUP:
    *ddr_reg(pin) &= (uint8_t)~bit;
    write_pin(pin, 1);
    break;
  default:
    return;
  }
  pin_mode[pin] = mode;
}

static uint8_t is_input(uint8_t pin) { return pin_mode[pin] == MODE_INPUT || pin_mode[pin] == MODE_PULLUP; }

/* The input pins of a Firmata port as the port's bits (outputs read 0, as StandardFirmata masks them). */
static uint8_t read_port(uint8_t port) {
  uint8_t value = 0;
  for (uint8_t i = 0; i < 8; i++) {
    uint8_t pin = (uint8_t)(port * 8 + i);
    if (pin >= PINS || pin < FIRST_PIN || !is_input(pin)) continue;
    if (*in_reg(pin) & pin_bit(pin)) value |= (uint8_t)_BV(i);
  }
  return value;
}

static void send_port(uint8_t port, uint8_t value) {
  tx(DIGITAL_MESSAGE | port);
  tx(value & 0x7F);
  tx(value >> 7);
}

static void report_inputs(uint8_t force) {
  for (uint8_t port = 0; port < FIRMATA_PORTS; port++) {
    if (!report_port[port]) continue;
    uint8_t v = read_port(port);
    if (force || v != last_report[port]) {
      last_report[port] = v;
      send_port(port, v);
    }
  }
}

static void reset_pins(void) {
  for (uint8_t pin = FIRST_PIN; pin < PINS; pin++) {
    set_mode(pin, MODE_INPUT);
    pin_mode[pin] = MODE_UNSET;
  }
  for (uint8_t port = 0; port < FIRMATA_PORTS; port++) report_port[port] = 0;
}

/* ---- replies ---- */
static void send_version(void) {
  tx(REPORT_VERSION);
  tx(PROTOCOL_MAJOR);
  tx(PROTOCOL_MINOR);
}

static void send_7bit_string(const char *s) {
  for (; *s; s++) {
    tx((uint8_t)*s & 0x7F);
    tx((uint8_t)*s >> 7);
  }
}

static void send_firmware(void) {
  tx(START_SYSEX);
  tx(REPORT_FIRMWARE);
  tx(FIRMWARE_MAJOR);
  tx(FIRMWARE_MINOR);
  send_7bit_string(FIRMWARE_NAME);
  tx(END_SYSEX);
}

static void send_error(const char *text) {
  tx(START_SYSEX);
  tx(STRING_DATA);
  send_7bit_string(text);
  tx(END_SYSEX);
}

static void send_capabilities(void) {
  tx(START_SYSEX);
  tx(CAPABILITY_RESPONSE);
  for (uint8_t pin = 0; pin < PINS; pin++) {
    if (pin >= FIRST_PIN) { /* mode, resolution pairs */
      tx(MODE_INPUT); tx(1);
      tx(MODE_OUTPUT); tx(1);
      tx(MODE_PULLUP); tx(1);
    }
    tx(0x7F);
  }
  tx(END_SYSEX);
}

static void send_analog_mapping(void) {
  tx(START_SYSEX);
  tx(ANALOG_MAPPING_RESPONSE);
  for (uint8_t pin = 0; pin < PINS; pin++) tx(pin >= 14 ? pin - 14 : 0x7F);
  tx(END_SYSEX);
}

static void send_pin_state(uint8_t pin) {
  if (pin >= PINS) return;
  tx(START_SYSEX);
  tx(PIN_STATE_RESPONSE);
  tx(pin);
  tx(pin_mode[pin]);
  /* outputs: the level written; inputs: whether the pull-up is on */
  tx((*port_reg(pin) & pin_bit(pin)) ? 1 : 0);
  tx(END_SYSEX);
}

/* ---- the MAX7219 sysex ---- */
static volatile uint8_t *cs_port, *clk_port, *din_port;
static uint8_t cs_bit, clk_bit, din_bit;

/* A bus line driven at `level` (CS high, CLK low), without a dip if it was an output already. */
static void bus_pin(volatile uint8_t **port, uint8_t *bit, uint8_t pin, uint8_t level) {
  if (pin_mode[pin] != MODE_OUTPUT) {
    write_pin(pin, level);
    *ddr_reg(pin) |= pin_bit(pin);
    pin_mode[pin] = MODE_OUTPUT;
  }
  *port = port_reg(pin);
  *bit = pin_bit(pin);
}

static void shift_frame(const uint16_t *words, uint16_t used, uint8_t chips) {
  *clk_port &= (uint8_t)~clk_bit;
  *cs_port &= (uint8_t)~cs_bit;
  for (int8_t d = (int8_t)(chips - 1); d >= 0; d--) { /* the farthest chip's word first */
    uint16_t word = (used & (1u << d)) ? words[d] : 0; /* register 0: no-op */
    for (uint8_t i = 0; i < 16; i++) {
      *clk_port &= (uint8_t)~clk_bit;
      if (word & 0x8000) *din_port |= din_bit;
      else *din_port &= (uint8_t)~din_bit;
      *clk_port |= clk_bit; /* the chip samples DIN here */
      word <<= 1;
    }
  }
  *clk_port &= (uint8_t)~clk_bit;
  *cs_port |= cs_bit; /* latch */
}

/* m: the sysex payload after the command byte; n its length. */
static void max7219_write(const uint8_t *m, uint16_t n) {
  if (n < 4 || (n - 4) % 3 != 0) {
    send_error("MAX7219: bad length");
    return;
  }
  uint8_t cs = m[0], clk = m[1], din = m[2], chips = m[3];
  if (cs < FIRST_PIN || cs >= PINS || clk < FIRST_PIN || clk >= PINS || din < FIRST_PIN || din >= PINS || cs == clk || cs == din || clk == din) {
    send_error("MAX7219: bad pins");
    return;
  }
  if (chips < 1 || chips > MAX_CHIPS) {
    send_error("MAX7219: bad chain length");
    return;
  }
  for (uint16_t i = 4; i < n; i += 3) {
    if (m[i] >= chips || (m[i + 1] & 0x60)) { /* device past the chain, or bits beyond register + value bit 7 */
      send_error("MAX7219: bad triple");
      return;
    }
  }
  bus_pin(&cs_port, &cs_bit, cs, 1);
  bus_pin(&clk_port, &clk_bit, clk, 0);
  bus_pin(&din_port, &din_bit, din, 0);
  uint16_t words[MAX_CHIPS];
  uint16_t used = 0;
  for (uint16_t i = 4; i < n; i += 3) {
    uint8_t device = m[i];
    if (used & (1u << device)) { /* this chip already has a word: latch the frame, start the next */
      shift_frame(words, used, chips);
      used = 0;
    }
    uint8_t value = (uint8_t)(m[i + 2] | ((m[i + 1] & 0x10) << 3));
    words[device] = (uint16_t)(((m[i + 1] & 0x0F) << 8) | value);
    used |= (uint16_t)(1u << device);
  }
  if (used) shift_frame(words, used, chips);
}

/* ---- the parser ---- */
static uint8_t sysex[SYSEX_MAX];
static uint16_t sysex_len;
static uint8_t in_sysex, sysex_overflow;
static uint8_t command, channel, need, got, data[2];

static void handle_sysex(void) {
  if (sysex_overflow) {
    send_error("sysex too long");
    return;
  }
  if (sysex_len == 0) return;
  const uint8_t *m = sysex + 1;
  uint16_t n = (uint16_t)(sysex_len - 1);
  switch (sysex[0]) {
  case REPORT_FIRMWARE: send_firmware(); break;
  case CAPABILITY_QUERY: send_capabilities(); break;
  case ANALOG_MAPPING_QUERY: send_analog_mapping(); break;
  case PIN_STATE_QUERY: if (n >= 1) send_pin_state(m[0]); break;
  case SAMPLING_INTERVAL: if (n >= 2) sampling_ms = (uint16_t)(m[0] | (m[1] << 7)); break;
  case MAX7219_WRITE: max7219_write(m, n); break;
  default: break; /* unknown sysex: ignored, as Firmata asks */
  }
}

static void handle_message(void) {
  switch (command) {
  case DIGITAL_MESSAGE: {
    uint8_t port = channel, value = (uint8_t)(data[0] | (data[1] << 7));
    for (uint8_t i = 0; i < 8; i++) {
      uint8_t pin = (uint8_t)(port * 8 + i);
      if (pin >= PINS || pin < FIRST_PIN) continue;
      if (pin_mode[pin] == MODE_OUTPUT || pin_mode[pin] == MODE_INPUT) write_pin(pin, (value >> i) & 1);
    }
    break;
  }
  case SET_DIGITAL_PIN_VALUE:
    if (data[0] >= FIRST_PIN && data[0] < PINS && (pin_mode[data[0]] == MODE_OUTPUT || pin_mode[data[0]] == MODE_INPUT)) write_pin(data[0], data[1] & 1);
    break;
  case SET_PIN_MODE:
    if (data[0] >= FIRST_PIN && data[0] < PINS) set_mode(data[0], data[1]);
    break;
  case REPORT_DIGITAL:
    if (channel < FIRMATA_PORTS) {
      report_port[channel] = data[0] & 1;
      if (report_port[channel]) {
        last_report[channel] = read_port(channel);
        send_port(channel, last_report[channel]);
      }
    }
    break;
  default: break; /* REPORT_ANALOG, ANALOG_MESSAGE: no analog here */
  }
}

static void parse(uint8_t b) {
  if (in_sysex) {
    if (b == END_SYSEX) {
      in_sysex = 0;
      handle_sysex();
    } else if (b & 0x80) { /* a command byte inside a sysex: the sysex was cut short */
      in_sysex = 0;
      parse(b);
    } else if (sysex_len < SYSEX_MAX) sysex[sysex_len++] = b;
    else sysex_overflow = 1;
    return;
  }
  if (b & 0x80) {
    need = got = 0;
    if (b == START_SYSEX) {
      in_sysex = 1;
      sysex_len = 0;
      sysex_overflow = 0;
    } else if (b == REPORT_VERSION) send_version();
    else if (b == SYSTEM_RESET) reset_pins();
    else if (b < 0xF0) {
      command = b & 0xF0;
      channel = b & 0x0F;
      need = (command == REPORT_ANALOG || command == REPORT_DIGITAL) ? 1 : 2;
    } else if (b == SET_PIN_MODE || b == SET_DIGITAL_PIN_VALUE) {
      command = b;
      need = 2;
    }
    return;
  }
  if (!need) return; /* a data byte with no command: ignored */
  data[got++] = b;
  if (got == need) {
    need = 0;
    handle_message();
  }
}

int main(void) {
  for (uint8_t pin = 0; pin < PINS; pin++) pin_mode[pin] = MODE_UNSET;
  serial_init();
  sei();
  send_version();
  send_firmware();
  for (;;) {
    int b;
    while ((b = rx()) >= 0) parse((uint8_t)b);
    report_inputs(0);
  }
}
