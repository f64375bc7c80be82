// The shape of a serialport binding (@serialport/bindings-interface 1.x, which serialport 13
// drives): written out here because that package's typings are not reachable through its
// "exports". The OS binding (bindings-cpp) and the emulated Uno's (sim/uno-binding.ts) fit it.
export type OpenOptions = {
  path: string;
  baudRate: number;
  dataBits?: 5 | 6 | 7 | 8;
  lock?: boolean;
  stopBits?: 1 | 1.5 | 2;
  parity?: string;
  rtscts?: boolean;
  xon?: boolean;
  xoff?: boolean;
  xany?: boolean;
  hupcl?: boolean;
};

export type PortInfo = {
  path: string;
  manufacturer: string | undefined;
  serialNumber: string | undefined;
  pnpId: string | undefined;
  locationId: string | undefined;
  productId: string | undefined;
  vendorId: string | undefined;
};

export type PortStatus = { cts: boolean; dsr: boolean; dcd: boolean };

/** In-progress reads and writes must fail with `canceled: true` on close; any other error is a disconnect. */
export interface BindingPortInterface {
  readonly openOptions: Required<OpenOptions>;
  isOpen: boolean;
  close(): Promise<void>;
  read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }>;
  write(buffer: Buffer): Promise<void>;
  update(options: { baudRate: number }): Promise<void>;
  set(options: object): Promise<void>;
  get(): Promise<PortStatus>;
  getBaudRate(): Promise<{ baudRate: number }>;
  flush(): Promise<void>;
  drain(): Promise<void>;
}

export interface BindingInterface {
  list(): Promise<PortInfo[]>;
  open(options: OpenOptions): Promise<BindingPortInterface>;
}
