import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { WsLink } from '../../../../worker/node/ws-link';
import { createMqttWsServer, type MqttWsServer } from '../../../../worker/node/ws-server';
import { Recorder } from '../../../helpers/recording-handler';
import { nextEvent, until, within } from '../../../helpers/timeouts';

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

describe('WsLink and the /mqtt WebSocket server', () => {
  let server: MqttWsServer;
  let port: number;
  const links: WsLink[] = [];
  const clients: WebSocket[] = [];

  beforeAll(async () => {
    server = createMqttWsServer((ws) => links.push(new WsLink(ws, { label: 'ws test' })), { maxPayload: 1 << 20 });
    server.http.listen(0, '127.0.0.1');
    await nextEvent(server.http, 'listening');
    port = (server.http.address() as AddressInfo).port;
  });

  afterAll(async () => {
    for (const c of clients) c.terminate();
    server.wss.close();
    server.http.closeAllConnections();
    await within(new Promise((r) => server.http.close(r)), 3000, 'the server to close');
  });

  function dial(path = '/mqtt', protocols: string | string[] | undefined = 'mqtt'): WebSocket {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, protocols);
    ws.on('error', () => {}); // refusals are asserted through their events
    clients.push(ws);
    return ws;
  }

  async function pair(protocols: string | string[] = 'mqtt'): Promise<{ link: WsLink; peer: WebSocket }> {
    const before = links.length;
    const peer = dial('/mqtt', protocols);
    await nextEvent(peer, 'open');
    await until(() => links.length > before, 3000, 'the server to accept');
    return { link: links.at(-1)!, peer };
  }

  it('negotiates the subprotocol "mqtt", or "mqttv3.1" for old clients', async () => {
    expect((await pair('mqtt')).peer.protocol).toBe('mqtt');
    expect((await pair('mqttv3.1')).peer.protocol).toBe('mqttv3.1');
    expect((await pair(['mqttv3.1', 'mqtt'])).peer.protocol).toBe('mqtt');
  });

  it('refuses other paths with 404 and foreign subprotocols with 400', async () => {
    const [, wrongPath] = (await nextEvent(dial('/ws'), 'unexpected-response')) as [unknown, { statusCode: number }];
    expect(wrongPath.statusCode).toBe(404);
    const [, wrongProtocol] = (await nextEvent(dial('/mqtt', 'graphql-ws'), 'unexpected-response')) as [unknown, { statusCode: number }];
    expect(wrongProtocol.statusCode).toBe(400);
  });

  it('answers a plain HTTP request with 404, or 426 on /mqtt', async () => {
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${port}/mqtt`)).status).toBe(426);
  });

  it('carries bytes both ways in binary frames, one frame per tick of writes', async () => {
    const { link, peer } = await pair();
    const got = Recorder.on(link);
    peer.send(bytes('hel'));
    peer.send(bytes('lo'));
    await got.waitForText('hello');
    const frames: { data: Buffer; binary: boolean }[] = [];
    peer.on('message', (data: Buffer, binary: boolean) => frames.push({ data, binary }));
    link.write(bytes('a'));
    link.write(bytes('bc'));
    await until(() => frames.length > 0, 3000, 'a frame');
    await new Promise((r) => setTimeout(r, 20));
    expect(frames).toEqual([{ data: Buffer.from('abc'), binary: true }]);
  });

  it('closes the connection on a text frame [MQTT-6.0.0-1]', async () => {
    const { link, peer } = await pair();
    const got = Recorder.on(link);
    const closed = nextEvent(peer, 'close');
    peer.send('CONNECT as text');
    expect(await got.waitForClose()).toMatch(/binary frames/);
    const [code] = (await closed) as [number];
    expect(code).toBe(1003);
  });

  it('closes locally with a close frame carrying the reason, after what was written', async () => {
    const { link, peer } = await pair();
    const got = Recorder.on(link);
    const frames: Buffer[] = [];
    peer.on('message', (data: Buffer) => frames.push(data));
    link.write(bytes('last words'));
    const closed = nextEvent(peer, 'close');
    link.close('keep alive timeout');
    const [code, reason] = (await closed) as [number, Buffer];
    expect(code).toBe(1000);
    expect(reason.toString()).toBe('keep alive timeout');
    expect(Buffer.concat(frames).toString()).toBe('last words');
    expect(await got.waitForClose()).toBeUndefined();
  });

  it('tells the handler why the peer went', async () => {
    const a = await pair();
    const gotA = Recorder.on(a.link);
    a.peer.close(1001, 'tab closed');
    expect(await gotA.waitForClose()).toBe('the peer closed the WebSocket (1001: tab closed)');
    const b = await pair();
    const gotB = Recorder.on(b.link);
    b.peer.terminate();
    expect(await gotB.waitForClose()).toMatch(/lost without a close frame \(1006\)/);
  });
});
