// The runtime's floor under the hub's memory goal (issue 10): a bare node, started with the hub
// unit's flags and allocator settings, that only accepts the devices' connections and holds
// them — over TLS with the hub's own certificate (the center CA's server.key/server.pem) when
// the load is over mqtts://, plain TCP otherwise — keeping no state of its own. The bench
// connects as many clients as the hub's load has devices and reads this process's resident
// memory: what node and its TLS hold for them before any of the hub's code.
// With `stack`, it also holds what the design card fixes for the hub, empty: a Fastify app
// listening, an aedes broker handed the connections (each a waiting client; mqtt-packet's
// number cache off, as hub/broker/broker.ts sets it) and a better-sqlite3 database — the
// floor of any hub built on them.
// Arguments: (tls <keyFile> <certFile> | plain) [stack]. Tells its port over IPC once it listens.
import fs from 'node:fs';
import net from 'node:net';
import { createRequire } from 'node:module';

const args = process.argv.slice(2);
const [mode, keyFile, certFile] = args;
let handle = (socket) => {
  socket.on('data', () => {});
  socket.on('error', () => {});
};
if (args.includes('stack')) {
  const require = createRequire(import.meta.url);
  createRequire(require.resolve('aedes'))('mqtt-packet').writeToStream.cacheNumbers = false;
  const { Aedes } = await import('aedes');
  const broker = await Aedes.createBroker();
  handle = (socket) => {
    socket.on('error', () => {});
    broker.handle(socket);
  };
  const app = (await import('fastify')).default();
  await app.listen({ port: 0, host: '127.0.0.1' });
  const Database = (await import('better-sqlite3')).default;
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY)');
}
const held = [];
const hold = (socket) => {
  held.push(socket);
  handle(socket);
};
const server = mode === 'tls'
  ? (await import('node:tls')).createServer({ key: fs.readFileSync(keyFile), cert: fs.readFileSync(certFile) }, hold)
  : net.createServer(hold);
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('disconnect', () => process.exit(0));
