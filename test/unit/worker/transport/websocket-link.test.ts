import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket, WebSocketServer, type WebSocket as ServerSocket } from 'ws';
import { startHost, type Host } from '../../../../worker/node/host';
import { RealClock } from '../../../../worker/time/clock';
import type { Link } from '../../../../worker/transport/link';
import { websocketLink } from '../../../../worker/transport/websocket-link';
import { connectPacket, TestClient, text } from '../../../helpers/broker-harness';
import { Recorder } from '../../../helpers/recording-handler';
import { nextEvent, until, within } from '../../../helpers/timeouts';

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

// the `ws` package's client has the browser's API; websocketLink is typed for the browser's
const sockets: NodeWebSocket[] = [];
function dial(url: string, protocols: string | string[] = 'mqtt'): WebSocket {
  const ws = new NodeWebSocket(url, protocols);
  sockets.push(ws);
  return ws as unknown as WebSocket;
}

afterEach(() => {
  for (const ws of sockets.splice(0)) ws.terminate();
});

describe('websocketLink against a plain ws server', () => {
  let server: WebSocketServer;
  let url: string;
  const accepted: { ws: ServerSocket; protocol: string; frames: { data: Buffer; binary: boolean }[] }[] = [];

  beforeAll(async () => {
    server = new WebSocketServer({ port: 0, host: '127.0.0.1', handleProtocols: (offered) => (offered.has('mqtt') ? 'mqtt' : false) });
    await nextEvent(server, 'listening');
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/mqtt`;
    server.on('connection', (ws) => {
      const frames: { data: Buffer; binary: boolean }[] = [];
      ws.on('message', (data: Buffer, binary: boolean) => frames.push({ data, binary }));
      accepted.push({ ws, protocol: ws.protocol, frames });
    });
  });

  afterAll(async () => {
    for (const c of server.clients) c.terminate();
    await within(new Promise((r) => server.close(r)), 3000, 'the server to close');
  });

  /** A link (made while the socket is still connecting) and the server's side of it. */
  async function pair(): Promise<{ link: Link; peer: ServerSocket; frames: { data: Buffer; binary: boolean }[] }> {
    const before = accepted.length;
    const socket = dial(url);
    const link = websocketLink(socket);
    await until(() => accepted.length > before && socket.readyState === socket.OPEN, 3000, 'the socket to open');
    const { ws: peer, frames } = accepted.at(-1)!;
    return { link, peer, frames };
  }

  it('asks for the caller\'s subprotocol, labels itself with the URL and sends what was written before it opened', async () => {
    const before = accepted.length;
    const link = websocketLink(dial(url));
    expect(link.label).toBe(url);
    link.write(bytes('written while connecting'));
    await until(() => accepted.length > before, 3000, 'the server to accept');
    const { protocol, frames } = accepted.at(-1)!;
    expect(protocol).toBe('mqtt');
    await until(() => frames.length > 0, 3000, 'a frame');
    expect(frames.map((f) => [f.data.toString(), f.binary])).toEqual([['written while connecting', true]]);
    expect(websocketLink(dial(url), 'remote broker').label).toBe('remote broker');
  });

  it('sends the writes of one microtask as one binary frame', async () => {
    const { link, frames } = await pair();
    const shared = bytes('..abc..');
    link.write(shared.subarray(2, 3));
    link.write(shared.subarray(3, 5));
    link.write(bytes('!'));
    await until(() => frames.length === 1, 3000, 'a frame');
    link.write(bytes('next'));
    await until(() => frames.length === 2, 3000, 'a second frame');
    await new Promise((r) => setTimeout(r, 20));
    expect(frames.map((f) => [f.data.toString(), f.binary])).toEqual([['abc!', true], ['next', true]]);
    expect(Buffer.from(shared).toString()).toBe('..abc..');
  });

  it('receives binary frames as bytes, and keeps those that come before the handler is set', async () => {
    const { link, peer } = await pair();
    peer.send(Buffer.from('early '));
    peer.send(Buffer.from('bird'));
    await new Promise((r) => setTimeout(r, 50));
    const got = Recorder.on(link);
    await got.waitForText('early bird');
    expect(got.chunks.every((c) => c instanceof Uint8Array)).toBe(true);
  });

  it('ends the connection on a text frame [MQTT-6.0.0-1]', async () => {
    const { link, peer } = await pair();
    const got = Recorder.on(link);
    const closed = nextEvent(peer, 'close');
    peer.send('CONNECT as text');
    expect(await got.waitForClose()).toMatch(/text frame.*binary frames only/);
    const [code] = (await closed) as [number];
    expect(code).toBe(1003);
    expect(link.closed).toBe(true);
  });

  it('closes with a close frame carrying the reason, after what was written; its own handler hears no reason', async () => {
    const { link, peer, frames } = await pair();
    const got = Recorder.on(link);
    link.write(bytes('last words'));
    const closed = nextEvent(peer, 'close');
    link.close('keep alive timeout '.repeat(10)); // longer than a close frame holds
    link.write(bytes('ignored'));
    const [code, reason] = (await closed) as [number, Buffer];
    expect(code).toBe(1000);
    expect(reason.length).toBeLessThanOrEqual(123);
    expect(reason.toString()).toMatch(/^keep alive timeout/);
    expect(frames.map((f) => f.data.toString())).toEqual(['last words']);
    expect(await got.waitForClose()).toBeUndefined();
    await new Promise((r) => setTimeout(r, 20));
    expect(got.closes).toEqual([undefined]);
  });

  it('says why the broker went: the close code and reason, or a lost connection', async () => {
    const a = await pair();
    const gotA = Recorder.on(a.link);
    a.peer.send(Buffer.from('bytes first'));
    a.peer.close(4000, 'maintenance');
    expect(await gotA.waitForClose()).toBe('the broker closed the WebSocket (4000: maintenance)');
    expect(gotA.text).toBe('bytes first');

    const b = await pair();
    const gotB = Recorder.on(b.link);
    b.peer.close(1001);
    expect(await gotB.waitForClose()).toBe('the broker closed the WebSocket (1001 going away)');

    const c = await pair();
    const gotC = Recorder.on(c.link);
    c.peer.terminate();
    expect(await gotC.waitForClose()).toMatch(/^the WebSocket connection was lost without a close frame \(1006/);
  });

  it('says "could not connect to ws://…" when the socket never opens', async () => {
    const free = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await nextEvent(free, 'listening');
    const port = (free.address() as AddressInfo).port;
    await new Promise((r) => free.close(r));
    const refused = Recorder.on(websocketLink(dial(`ws://127.0.0.1:${port}/mqtt`)));
    expect(await refused.waitForClose()).toMatch(new RegExp(`^could not connect to ws://127\\.0\\.0\\.1:${port}/mqtt \\(.*ECONNREFUSED`));

    // the server refuses the subprotocol
    const wrong = Recorder.on(websocketLink(dial(url, 'graphql-ws')));
    expect(await wrong.waitForClose()).toMatch(/^could not connect to ws:\/\/127\.0\.0\.1:\d+\/mqtt/);
  });

  it('may be closed while still connecting', async () => {
    const link = websocketLink(dial(url));
    const got = Recorder.on(link);
    link.write(bytes('never sent'));
    link.close('changed my mind');
    expect(link.closed).toBe(true);
    expect(await got.waitForClose()).toBeUndefined();
  });
});

describe('websocketLink to our Node host', () => {
  let host: Host;

  beforeAll(async () => {
    host = await startHost({ port: 0, wsPort: 0, host: '127.0.0.1', config: { sysInterval: 0 }, clock: new RealClock() });
  });

  afterAll(() => host.close());

  async function next(c: TestClient) {
    await until(() => c.received.length > 0 || c.closed, 3000, 'a packet');
    const p = c.received.shift();
    if (!p) throw new Error(`connection closed: ${c.closeReason}`);
    return p;
  }

  it('speaks MQTT 3.1.1 and 5.0 with the broker, and hears why the broker went', async () => {
    const wsUrl = `ws://127.0.0.1:${host.wsPort}/mqtt`;
    // CONNECT is written before the socket is open
    const sub = new TestClient(websocketLink(dial(wsUrl)), 5).send(connectPacket(5, { clientId: 'ws-sub' }));
    expect(await next(sub)).toMatchObject({ type: 'connack', reasonCode: 0 });
    sub.send({ type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: 'room/+', qos: 2, noLocal: false, retainAsPublished: false, retainHandling: 0 }] });
    expect(await next(sub)).toMatchObject({ type: 'suback', reasonCodes: [2] });

    const pub = new TestClient(websocketLink(dial(wsUrl)), 4).send(connectPacket(4, { clientId: 'ws-pub' }));
    expect(await next(pub)).toMatchObject({ type: 'connack', reasonCode: 0 });
    // two packets in one microtask: one frame for the broker's framer to cut
    pub.send({ type: 'publish', topic: 'room/a', payload: text('one'), qos: 1, retain: false, dup: false, packetId: 7 });
    pub.send({ type: 'publish', topic: 'room/b', payload: text('two'), qos: 2, retain: false, dup: false, packetId: 8 });
    expect(await next(pub)).toMatchObject({ type: 'puback', packetId: 7 });
    expect(await next(pub)).toMatchObject({ type: 'pubrec', packetId: 8 });
    pub.send({ type: 'pubrel', packetId: 8 });
    expect(await next(pub)).toMatchObject({ type: 'pubcomp', packetId: 8 });

    const m1 = await next(sub);
    expect(m1).toMatchObject({ type: 'publish', topic: 'room/a', qos: 1 });
    const m2 = await next(sub);
    expect(m2).toMatchObject({ type: 'publish', topic: 'room/b', qos: 2 });

    await host.close();
    expect(await next(sub)).toMatchObject({ type: 'disconnect', reasonCode: 0x8b });
    await until(() => sub.closed && pub.closed, 3000, 'both links to close');
    expect(sub.closeReason).toMatch(/^the broker closed the WebSocket \(1000 normal closure/);
    expect(pub.link.closed).toBe(true);
  });
});
