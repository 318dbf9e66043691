/**
 * aedes on TCP for the broker benchmark, in its own process:
 *   node --import tsx bench/broker/aedes-server.ts [port]
 * prints "aedes listening: mqtt://127.0.0.1:PORT" and stops on SIGTERM or
 * SIGINT. Nagle is off, as on the other brokers; aedes has no per-session
 * queue or in-flight limit to set (its in-memory persistence is unbounded).
 */
import { createServer } from 'node:net';
import { Aedes } from 'aedes';

const aedes = await Aedes.createBroker({ heartbeatInterval: 10_000 });
const server = createServer({ noDelay: true }, aedes.handle);
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  const a = server.address();
  console.log(`aedes listening: mqtt://127.0.0.1:${typeof a === 'object' && a ? a.port : '?'}`);
});

const stop = () => {
  server.close();
  aedes.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
