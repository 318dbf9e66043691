import { createConnection, createServer, Socket, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SocketLink } from '../../../../worker/node/socket-link';
import { Recorder } from '../../../helpers/recording-handler';
import { nextEvent, until, within } from '../../../helpers/timeouts';

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

describe('SocketLink', () => {
  let server: Server;
  let port: number;
  const accepted: Socket[] = [];

  beforeAll(async () => {
    server = createServer((s) => accepted.push(s));
    server.listen(0, '127.0.0.1');
    await nextEvent(server, 'listening');
    port = (server.address() as { port: number }).port;
  });

  afterAll(async () => {
    for (const s of accepted) s.destroy();
    await within(new Promise((r) => server.close(r)), 3000, 'the server to close');
  });

  /** A connected pair: our SocketLink on the server side, a raw socket as the peer. */
  async function pair(): Promise<{ link: SocketLink; peer: Socket }> {
    const before = accepted.length;
    const peer = createConnection(port, '127.0.0.1');
    await nextEvent(peer, 'connect');
    await until(() => accepted.length > before, 3000, 'the server to accept');
    return { link: new SocketLink(accepted.at(-1)!), peer };
  }

  it('carries bytes both ways, in order, and labels itself with the peer address', async () => {
    const noDelay = vi.spyOn(Socket.prototype, 'setNoDelay');
    const { link, peer } = await pair();
    expect(noDelay).toHaveBeenCalledWith(true);
    noDelay.mockRestore();
    expect(link.label).toMatch(/^tcp 127\.0\.0\.1:\d+$/);
    const got = Recorder.on(link);
    peer.write('hello ');
    peer.write('broker');
    await got.waitForText('hello broker');
    const back: Buffer[] = [];
    peer.on('data', (b: Buffer) => back.push(b));
    for (const part of ['a', 'b', 'c']) link.write(bytes(part));
    await until(() => Buffer.concat(back).toString() === 'abc', 3000, 'the reply');
    // written in one tick, they left corked together
    expect(back).toHaveLength(1);
    link.close();
  });

  it('keeps bytes that arrive before the handler is set', async () => {
    const { link, peer } = await pair();
    peer.write('early');
    await new Promise((r) => setTimeout(r, 50));
    const got = Recorder.on(link);
    await got.waitForText('early');
    link.close();
  });

  it('closes locally after sending what was written; its own handler hears once, without a reason', async () => {
    const { link, peer } = await pair();
    const got = Recorder.on(link);
    const back: Buffer[] = [];
    peer.on('data', (b: Buffer) => back.push(b));
    link.write(bytes('bye'));
    link.close('done');
    expect(link.closed).toBe(true);
    link.write(bytes('ignored'));
    await nextEvent(peer, 'end');
    expect(Buffer.concat(back).toString()).toBe('bye');
    expect(await got.waitForClose()).toBeUndefined();
    await new Promise((r) => setTimeout(r, 20));
    expect(got.closes).toHaveLength(1);
  });

  it('tells the handler when the peer closes', async () => {
    const { link, peer } = await pair();
    const got = Recorder.on(link);
    peer.end();
    expect(await got.waitForClose()).toBe('the peer closed the TCP connection');
    expect(link.closed).toBe(true);
  });

  it('names a reset connection', async () => {
    const { link, peer } = await pair();
    const got = Recorder.on(link);
    peer.resetAndDestroy();
    expect(await got.waitForClose()).toMatch(/reset the connection \(ECONNRESET\)/);
  });

  it('cuts a peer that does not read once too much waits to be sent', async () => {
    const { peer } = await pair();
    const link = new SocketLink(accepted.at(-1)!, { maxBuffered: 64 * 1024 });
    const got = Recorder.on(link);
    peer.pause();
    const big = new Uint8Array(256 * 1024);
    for (let i = 0; i < 64 && !link.closed; i++) link.write(big);
    expect(await got.waitForClose()).toMatch(/not reading/);
  });
});
