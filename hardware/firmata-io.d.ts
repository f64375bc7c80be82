// firmata-io (firmata.js without its serialport 8 transport) ships no typings; board.ts
// types the part of its Firmata class it uses.
declare module 'firmata-io' {
  const bindTransport: { Firmata: unknown };
  export default bindTransport;
}
