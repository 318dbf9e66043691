import { createConnection } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startHost, type Host } from '../../../../worker/node/host';
import { SocketLink } from '../../../../worker/node/socket-link';
import { WsLink } from '../../../../worker/node/ws-link';
import type { Packet, ProtocolVersion } from '../../../../worker/protocol';
import { RealClock } from '../../../../worker/time/clock';
import { connectPacket, TestClient, text } from '../../../helpers/broker-harness';
import { nextEvent, until } from '../../../helpers/timeouts';

/** The next packet a raw client receives over a real socket, waiting at most 3 s. */
async function next(c: TestClient): Promise<Packet> {
  await until(() => c.received.length > 0 || c.closed, 3000, 'a packet');
  const p = c.received.shift();
  if (!p) throw new Error(`connection closed: ${c.closeReason}`);
  return p;
}

async function overTcp(host: Host, version: ProtocolVersion): Promise<TestClient> {
  const socket = createConnection(host.tcpPort, '127.0.0.1');
  await nextEvent(socket, 'connect');
  return new TestClient(new SocketLink(socket), version);
}

async function overWs(host: Host, version: ProtocolVersion): Promise<TestClient> {
  const ws = new WebSocket(`ws://127.0.0.1:${host.wsPort}/mqtt`, 'mqtt');
  await nextEvent(ws, 'open');
  return new TestClient(new WsLink(ws), version);
}

async function connect(c: TestClient, clientId: string): Promise<TestClient> {
  c.send(connectPacket(c.version, { clientId }));
  expect(await next(c)).toMatchObject({ type: 'connack', reasonCode: 0 });
  return c;
}

describe('startHost', () => {
  let host: Host;

  beforeAll(async () => {
    host = await startHost({ port: 0, wsPort: 0, host: '127.0.0.1', config: { sysInterval: 0 }, clock: new RealClock() });
  });

  afterAll(() => host.close());

  it('reports the real ports when asked for port 0', () => {
    expect(host.tcpPort).toBeGreaterThan(0);
    expect(host.wsPort).toBeGreaterThan(0);
    expect(host.wsPort).not.toBe(host.tcpPort);
  });

  it('serves one broker on TCP and WebSocket', async () => {
    const sub = await connect(await overWs(host, 5), 'ws-sub');
    sub.send({ type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: 'sensor/+/temperature', qos: 1, noLocal: false, retainAsPublished: false, retainHandling: 0 }] });
    expect(await next(sub)).toMatchObject({ type: 'suback', reasonCodes: [1] });
    const pub = await connect(await overTcp(host, 4), 'tcp-pub');
    pub.send({ type: 'publish', topic: 'sensor/1/temperature', payload: text('{"msg": "17.2"}'), qos: 1, retain: false, dup: false, packetId: 7 });
    expect(await next(pub)).toMatchObject({ type: 'puback', packetId: 7 });
    const m = await next(sub);
    expect(m).toMatchObject({ type: 'publish', topic: 'sensor/1/temperature', qos: 1 });
    expect(Buffer.from((m as { payload: Uint8Array }).payload).toString()).toBe('{"msg": "17.2"}');
    sub.close();
    pub.close();
  });

  it('refuses a second host on a port in use, in words', async () => {
    await expect(startHost({ port: host.tcpPort, host: '127.0.0.1', clock: new RealClock() })).rejects.toThrow(
      `TCP port ${host.tcpPort} on 127.0.0.1 is already in use`,
    );
  });

  it('tells 5.0 clients the server is shutting down (0x8B) on close, and stops listening', async () => {
    const own = await startHost({ port: 0, wsPort: 0, host: '127.0.0.1', config: { sysInterval: 0 }, clock: new RealClock() });
    const tcp5 = await connect(await overTcp(own, 5), 'tcp5');
    const ws5 = await connect(await overWs(own, 5), 'ws5');
    const tcp4 = await connect(await overTcp(own, 4), 'tcp4');
    const t0 = Date.now();
    await own.close();
    expect(Date.now() - t0).toBeLessThan(2000);
    for (const c of [tcp5, ws5]) {
      expect(await next(c)).toMatchObject({ type: 'disconnect', reasonCode: 0x8b });
      await until(() => c.closed, 3000, 'the close');
    }
    await until(() => tcp4.closed, 3000, 'the 3.1.1 client to be closed');
    expect(tcp4.received).toEqual([]);
    const refused = createConnection(own.tcpPort, '127.0.0.1');
    const [err] = (await nextEvent(refused, 'error')) as [NodeJS.ErrnoException];
    expect(err.code).toBe('ECONNREFUSED');
  });
});
