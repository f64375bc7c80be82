// Types for the parts of the `smpp` package (node-smpp 0.5, plain JavaScript, no types of its
// own) that the SMS sender and the tests' SMSC use. PDU fields are SMPP 3.4's names.
declare module 'smpp' {
  import type { EventEmitter } from 'node:events';
  import type { Server as NetServer } from 'node:net';

  export type PduFields = Record<string, any>;
  export class PDU {
    constructor(command: string, options?: PduFields);
    command: string;
    command_status: number;
    sequence_number: number;
    [field: string]: any;
    response(options?: PduFields): PDU;
    isResponse(): boolean;
  }
  export class Session extends EventEmitter {
    socket: import('node:net').Socket;
    send(pdu: PDU, responseCallback?: (pdu: PDU) => void, sendCallback?: (pdu: PDU) => void): boolean;
    bind_transceiver(options: PduFields, responseCallback?: (pdu: PDU) => void): boolean;
    submit_sm(options: PduFields, responseCallback?: (pdu: PDU) => void): boolean;
    deliver_sm(options: PduFields, responseCallback?: (pdu: PDU) => void): boolean;
    enquire_link(options?: PduFields, responseCallback?: (pdu: PDU) => void): boolean;
    unbind(options?: PduFields, responseCallback?: (pdu: PDU) => void): boolean;
    close(callback?: () => void): void;
    destroy(callback?: () => void): void;
    pause(): void;
    resume(): void;
  }
  export interface Server extends NetServer {
    sessions: Session[];
  }
  export function connect(options: { host: string; port: number; [k: string]: unknown }, listener?: () => void): Session;
  export function createServer(options: Record<string, unknown>, listener?: (session: Session) => void): Server;
  export function createServer(listener?: (session: Session) => void): Server;

  export const ESME_ROK: number;
  export const ESME_RTHROTTLED: number;
  export const ESME_RMSGQFUL: number;
  export const ESME_RSYSERR: number;
  export const ESME_RINVDSTADR: number;
  export const ESME_RBINDFAIL: number;
  const smpp: {
    connect: typeof connect; createServer: typeof createServer; PDU: typeof PDU;
    ESME_ROK: number; ESME_RTHROTTLED: number; ESME_RMSGQFUL: number; ESME_RSYSERR: number; ESME_RINVDSTADR: number; ESME_RBINDFAIL: number;
    errors: Record<string, number>;
  };
  export default smpp;
}
