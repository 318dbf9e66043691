/**
 * The Node host: one Broker served to real clients over TCP (node:net) and
 * over WebSocket (ws, path /mqtt), e.g. for MQTTX, MQTT.js or mosquitto_pub.
 *
 *   const host = await startHost({ port: 1883, wsPort: 8083, config: { allowAnonymous: true }, clock: new NodeClock() });
 *   console.log(host.tcpPort, host.wsPort);  // the real ports, also when 0 was asked for
 *   await host.close();                      // 5.0 clients get DISCONNECT 0x8B Server shutting down
 *
 * Node only: never bundled into the page.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { Broker, type BrokerConfig, type BrokerStore } from '../broker';
import type { Clock } from '../time/clock';
import { NodeClock } from './node-clock';
import { SocketLink } from './socket-link';
import { WsLink } from './ws-link';
import { createMqttWsServer, type MqttWsServer } from './ws-server';

export interface HostOptions {
  /** TCP port for mqtt://; 0 picks a free one. */
  port: number;
  /** WebSocket port for ws://…/mqtt; 0 picks a free one; undefined serves no WebSocket. */
  wsPort?: number | undefined;
  /** Address to listen on; default 0.0.0.0 (every IPv4 interface). */
  host?: string;
  /** Broker settings; defaults for whatever is left out. */
  config?: Partial<BrokerConfig>;
  /** Time for keep alive, wills and expiry; default the real clock, with timers that do not hold Node open. */
  clock?: Clock;
  /** Persistent sessions and retained messages survive restarts when given. */
  store?: BrokerStore;
  /** Milliseconds close() waits for clients to go before cutting them; default 3000. */
  closeTimeoutMs?: number;
}

export interface Host {
  broker: Broker;
  /** The address listened on. */
  host: string;
  /** The TCP port actually listened on. */
  tcpPort: number;
  /** The WebSocket port actually listened on, if any. */
  wsPort: number | undefined;
  /** Stops listening, disconnects every client and resolves once every socket is gone. */
  close(): Promise<void>;
}

export async function startHost(options: HostOptions): Promise<Host> {
  const host = options.host ?? '0.0.0.0';
  const broker = new Broker(options.config ?? {}, options.clock ?? new NodeClock(), options.store);
  await broker.restore();
  const sockets = new Set<Socket>();
  const track = (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  };

  const tcp = createServer((socket) => broker.accept(new SocketLink(socket)));
  tcp.on('connection', track);
  let ws: MqttWsServer | undefined;
  try {
    const tcpPort = await listen(tcp, options.port, host, 'TCP');
    let wsPort: number | undefined;
    if (options.wsPort !== undefined) {
      // a frame may carry several packets, so allow a few of the largest
      const maxPayload = Math.max(broker.config.maximumPacketSize * 2, 64 * 1024);
      ws = createMqttWsServer((socket, req) => {
        broker.accept(new WsLink(socket, { label: `ws ${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}` }));
      }, { maxPayload });
      ws.http.on('connection', track);
      wsPort = await listen(ws.http, options.wsPort, host, 'WebSocket');
    }
    let closing: Promise<void> | undefined;
    const close = () => (closing ??= shutDown(broker, tcp, ws, sockets, options.closeTimeoutMs ?? 3000));
    return { broker, host, tcpPort, wsPort, close };
  } catch (e) {
    broker.close();
    tcp.close();
    ws?.http.close();
    throw e;
  }
}

function listen(server: Server, port: number, host: string, what: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (e.code === 'EADDRINUSE') reject(new Error(`${what} port ${port} on ${host} is already in use (is another MQTT broker, e.g. mosquitto, running?)`));
      else if (e.code === 'EACCES') reject(new Error(`${what} port ${port} on ${host} needs more privileges (ports below 1024 usually do)`));
      else if (e.code === 'EADDRNOTAVAIL') reject(new Error(`${what}: ${host} is not an address of this machine`));
      else reject(new Error(`${what} could not listen on ${host}:${port}: ${e.message}`));
    };
    const onListening = () => {
      server.off('error', onError);
      const a = server.address();
      resolve(typeof a === 'object' && a ? a.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

async function shutDown(broker: Broker, tcp: Server, ws: MqttWsServer | undefined, sockets: Set<Socket>, timeoutMs: number): Promise<void> {
  const closed = [closeServer(tcp)];
  if (ws) {
    closed.push(closeServer(ws.http));
    ws.wss.close();
    ws.http.closeAllConnections(); // idle HTTP keep-alive sockets, not WebSockets
  }
  // DISCONNECT 0x8B to 5.0 clients, then each link ends its socket
  broker.close();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      for (const s of sockets) s.destroy();
      resolve();
    }, timeoutMs);
  });
  await Promise.race([Promise.all(closed), deadline]);
  clearTimeout(timer);
  // the servers report closed once the last socket is gone
  await Promise.all(closed);
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
