import { describe, expect, it } from 'vitest';
import { Broker } from '../../../../worker/broker';
import type { ProtocolVersion } from '../../../../worker/protocol';
import { Capture, type CapturedFrame } from '../../../../worker/sim/capture';
import { NetworkPath, type PathTap } from '../../../../worker/sim/network';
import { VirtualClock } from '../../../../worker/time/clock';
import type { Link } from '../../../../worker/transport/link';
import { settle, TestClient, text } from '../../../helpers/broker-harness';

const bytes = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array) => new TextDecoder().decode(b);

/** A path on a virtual clock, with a tap and both ends recording what reaches them and when. */
function setup(start = 0) {
  const clock = new VirtualClock(start);
  const tapLog: string[] = [];
  let n = 0;
  const tap: PathTap<number> = {
    sent: (dir, b, at) => {
      tapLog.push(`sent #${++n} ${dir} "${str(b)}" @${at}`);
      return n;
    },
    arrived: (r, at) => void tapLog.push(`arrived #${r} @${at}`),
    lost: (r, at, why) => void tapLog.push(`lost #${r} @${at}: ${why}`),
  };
  const path = new NetworkPath<number>(clock, 'alice', tap);
  const listen = (end: Link) => {
    const log: string[] = [];
    end.setHandler({
      data: (b) => void log.push(`"${str(b)}"@${clock.now()}`),
      close: (reason) => void log.push(`close(${reason ?? ''})@${clock.now()}`),
    });
    return log;
  };
  const atBroker = listen(path.brokerEnd);
  const atClient = listen(path.clientEnd);
  /** Moves virtual time and lets microtask deliveries run. */
  const advance = async (ms: number) => {
    await settle();
    clock.advance(ms);
    await settle();
  };
  return { clock, path, tapLog, atBroker, atClient, advance };
}

describe('NetworkPath', () => {
  it('with no conditions delivers in order, never inside the write, both ways', async () => {
    const { path, atBroker, atClient } = setup(1000);
    path.clientEnd.write(bytes('a'));
    path.clientEnd.write(bytes('b'));
    path.brokerEnd.write(bytes('c'));
    expect(atBroker).toEqual([]);
    await settle();
    expect(atBroker).toEqual(['"a"@1000', '"b"@1000']);
    expect(atClient).toEqual(['"c"@1000']);
    expect(path.stats).toEqual({ toBroker: 2, toClient: 1, dropped: 0 });
    expect(path.clientEnd.label).toBe('alice (client)');
    expect(path.brokerEnd.label).toBe('alice (broker)');
  });

  it('latency delays each direction on the virtual clock, in order', async () => {
    const { path, atBroker, atClient, advance } = setup();
    path.setConditions({ latency: 100 });
    path.clientEnd.write(bytes('a'));
    await advance(30);
    path.clientEnd.write(bytes('b'));
    path.brokerEnd.write(bytes('x'));
    await advance(69);
    expect(atBroker).toEqual([]);
    await advance(1);
    expect(atBroker).toEqual(['"a"@100']);
    await advance(29);
    expect(atBroker).toEqual(['"a"@100']);
    expect(atClient).toEqual([]);
    await advance(1);
    expect(atBroker).toEqual(['"a"@100', '"b"@130']);
    expect(atClient).toEqual(['"x"@130']);
  });

  it('a shorter latency never lets a later write overtake an earlier one', async () => {
    const { path, atBroker, advance } = setup();
    path.setConditions({ latency: 500 });
    path.clientEnd.write(bytes('slow'));
    path.setConditions({ latency: 10 });
    await advance(100);
    path.clientEnd.write(bytes('fast'));
    await advance(400);
    expect(atBroker).toEqual(['"slow"@500', '"fast"@500']);
    path.clientEnd.write(bytes('later'));
    await advance(10);
    expect(atBroker.at(-1)).toBe('"later"@510');
  });

  it('bandwidth spaces writes by their size, before the latency', async () => {
    const { path, atBroker, atClient, advance } = setup();
    path.setConditions({ bandwidth: 1000, latency: 50 }); // 1 byte per ms
    const hundred = (c: string) => bytes(c.repeat(100));
    path.clientEnd.write(hundred('a'));
    path.clientEnd.write(hundred('b'));
    path.clientEnd.write(hundred('c'));
    path.brokerEnd.write(hundred('z')); // the other direction has its own bandwidth
    await advance(400);
    expect(atBroker.map((e) => e.replace(/"(.)\1+"/, '$1'))).toEqual(['a@150', 'b@250', 'c@350']);
    expect(atClient.map((e) => e.replace(/"(.)\1+"/, '$1'))).toEqual(['z@150']);
    // after an idle while, a write goes at once again
    await advance(600);
    path.clientEnd.write(bytes('x'.repeat(10)));
    await advance(60);
    expect(atBroker.at(-1)).toMatch(/@1060$/);
  });

  it('a cut drops bytes both ways silently, without closing; restore lets new bytes through', async () => {
    const { path, atBroker, atClient, tapLog, advance } = setup();
    path.cut();
    expect(path.conditions.cut).toBe(true);
    path.clientEnd.write(bytes('ping'));
    path.brokerEnd.write(bytes('pong'));
    await advance(60_000);
    expect(atBroker).toEqual([]);
    expect(atClient).toEqual([]);
    expect([path.closed, path.clientEnd.closed, path.brokerEnd.closed]).toEqual([false, false, false]);
    expect(path.stats.dropped).toBe(8);
    expect(tapLog).toEqual([
      'sent #1 to-broker "ping" @0',
      'lost #1 @0: the link is cut',
      'sent #2 to-client "pong" @0',
      'lost #2 @0: the link is cut',
    ]);
    path.restore();
    path.clientEnd.write(bytes('again'));
    await advance(0);
    expect(atBroker).toEqual(['"again"@60000']);
  });

  it('a cut loses the bytes already on their way, even if restored before they would arrive', async () => {
    const { path, atBroker, atClient, tapLog, advance } = setup();
    path.setConditions({ latency: 100 });
    path.clientEnd.write(bytes('up'));
    path.brokerEnd.write(bytes('down'));
    await advance(50);
    path.cut();
    await advance(10);
    path.restore();
    await advance(200);
    expect(atBroker).toEqual([]);
    expect(atClient).toEqual([]);
    expect(tapLog.filter((l) => l.startsWith('lost'))).toEqual([
      'lost #1 @50: the link was cut while it was on its way',
      'lost #2 @50: the link was cut while it was on its way',
    ]);
    expect(path.stats.dropped).toBe(6);
    // and the path works again, with the same latency
    path.clientEnd.write(bytes('after'));
    await advance(100);
    expect(atBroker).toEqual(['"after"@360']);
  });

  it('a cut set through setConditions is the same cut', async () => {
    const { path, atBroker, advance } = setup();
    path.setConditions({ latency: 100 });
    path.clientEnd.write(bytes('lost'));
    path.setConditions({ cut: true, latency: 5 });
    path.setConditions({ cut: false });
    await advance(200);
    expect(atBroker).toEqual([]);
  });

  it('a close reaches the other end after the bytes on their way, with its reason', async () => {
    const { path, atBroker, atClient, advance } = setup();
    path.setConditions({ latency: 100 });
    path.clientEnd.write(bytes('bye'));
    path.clientEnd.close('client went away');
    expect(path.clientEnd.closed).toBe(true);
    path.clientEnd.write(bytes('ignored'));
    await advance(0);
    // the closing end is done at once
    expect(atClient).toEqual(['close()@0']);
    expect(atBroker).toEqual([]);
    await advance(99);
    expect(atBroker).toEqual([]);
    await advance(1);
    expect(atBroker).toEqual(['"bye"@100', 'close(client went away)@100']);
    await advance(1000);
    expect(atClient).toEqual(['close()@0']);
    expect(atBroker).toHaveLength(2);
  });

  it('a close from the broker: bytes on their way to the closing end are dropped, the reason defaults', async () => {
    const { path, atBroker, atClient, tapLog, advance } = setup();
    path.setConditions({ latency: 100 });
    path.clientEnd.write(bytes('too late'));
    await advance(50);
    path.brokerEnd.write(bytes('go away'));
    path.brokerEnd.close();
    await advance(100);
    expect(atBroker).toEqual(['close()@50']);
    expect(atClient).toEqual(['"go away"@150', 'close(closed by the other end)@150']);
    expect(tapLog).toContain('lost #1 @50: the receiving end closed');
  });

  it('a close never crosses a cut, not even after the cable is back', async () => {
    const { path, atBroker, atClient, advance } = setup();
    path.cut();
    path.clientEnd.close('killed');
    await advance(1000);
    path.restore();
    await advance(1000);
    expect(atClient).toEqual(['close()@0']);
    expect(atBroker).toEqual([]);

    // nor one already on its way when the cable is pulled
    const b = setup();
    b.path.setConditions({ latency: 100 });
    b.path.brokerEnd.close('keep alive timeout');
    await b.advance(50);
    b.path.cut();
    await b.advance(1000);
    expect(b.atBroker).toEqual(['close()@0']);
    expect(b.atClient).toEqual([]);
  });

  it('keeps what arrives before the receiving end has a handler', async () => {
    const clock = new VirtualClock(0);
    const path = new NetworkPath(clock, 'late');
    path.clientEnd.write(bytes('CONNECT'));
    path.clientEnd.close('gone');
    await settle();
    const got: string[] = [];
    path.brokerEnd.setHandler({ data: (b) => void got.push(str(b)), close: (r) => void got.push(`close(${r})`) });
    await settle();
    expect(got).toEqual(['CONNECT', 'close(gone)']);
  });

  it('the tap sees each write sent, then arrived or lost, with virtual times', async () => {
    const { path, tapLog, advance } = setup(500);
    path.setConditions({ latency: 20 });
    path.clientEnd.write(bytes('one'));
    path.brokerEnd.write(bytes('two'));
    await advance(20);
    path.cut();
    path.clientEnd.write(bytes('three'));
    expect(tapLog).toEqual([
      'sent #1 to-broker "one" @500',
      'sent #2 to-client "two" @500',
      'arrived #1 @520',
      'arrived #2 @520',
      'sent #3 to-broker "three" @520',
      'lost #3 @520: the link is cut',
    ]);
  });

  it('refuses negative or NaN conditions', () => {
    const { path } = setup();
    expect(() => path.setConditions({ latency: -1 })).toThrow(RangeError);
    expect(() => path.setConditions({ bandwidth: NaN })).toThrow(RangeError);
    expect(path.conditions).toEqual({ latency: 0, bandwidth: 0, cut: false });
  });
});

describe('a half-open connection: the broker, a client on a NetworkPath, and a cut', () => {
  for (const version of [4, 5] as ProtocolVersion[]) {
    it(`publishes the will 1.5 x keep alive after the last packet, and the client hears nothing (${version === 5 ? '5.0' : '3.1.1'})`, async () => {
      const clock = new VirtualClock(1_000_000);
      const capture = new Capture({ schedule: () => {} });
      const broker = new Broker({ sysInterval: 0 }, clock);
      broker.on((e) => capture.event(e));
      const open = (name: string) => {
        const path = new NetworkPath<number | number[]>(clock, name, capture.tap(name, () => version));
        path.setConditions({ latency: 20 });
        broker.accept(path.brokerEnd);
        return { path, client: new TestClient(path.clientEnd, version) };
      };
      const advance = async (ms: number) => {
        clock.advance(ms);
        await settle();
      };
      const connectOver = async (c: TestClient, opts: Parameters<TestClient['connect']>[0]) => {
        c.send({ type: 'connect', protocolName: 'MQTT', protocolVersion: version, cleanStart: true, keepalive: 0, clientId: 'x', ...opts });
        await advance(40); // there and back
        await c.expect({ type: 'connack', reasonCode: 0 });
      };

      const watcher = open('watcher').client;
      await connectOver(watcher, { clientId: 'watcher' });
      watcher.send({ type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: 'status/#', qos: 1, noLocal: false, retainAsPublished: false, retainHandling: 0 }] });
      await advance(40);
      await watcher.expect({ type: 'suback', reasonCodes: [1] });

      const { path, client: sensor } = open('sensor');
      await connectOver(sensor, { clientId: 'sensor', keepalive: 10, will: { topic: 'status/sensor', payload: text('offline'), qos: 1, retain: false } });
      // the CONNECT reached the broker 20 ms after it was sent: the keep alive counts from there
      const lastHeard = 1_000_080 + 20;
      path.cut();
      await advance(5000);
      sensor.send({ type: 'pingreq' }); // lost on the cut link
      await advance(lastHeard + 15_000 - 1 - clock.now());
      expect(watcher.received).toEqual([]);
      expect(broker.stats.connected).toBe(2);

      await advance(1);
      // the will crosses the watcher's own path, 20 ms later
      await advance(20);
      const will = await watcher.expect({ type: 'publish', topic: 'status/sensor', qos: 1 });
      expect(new TextDecoder().decode(will.payload)).toBe('offline');
      expect(broker.stats.connected).toBe(1);

      // half-open: the sensor was told nothing, not even the DISCONNECT 0x8D of 5.0
      await advance(60_000);
      expect(sensor.received).toEqual([]);
      expect(sensor.closed).toBe(false);
      const events = capture.range(1, 1000).filter((e) => e.kind === 'event').map((e) => e.kind === 'event' && e.event);
      expect(events).toContainEqual(expect.objectContaining({ kind: 'protocol-error', clientId: 'sensor', reasonCode: 0x8d, at: lastHeard + 15_000 }));
      expect(events).toContainEqual(expect.objectContaining({ kind: 'will-published', clientId: 'sensor', topic: 'status/sensor' }));
      const ping = capture.rawFrames().map((f) => f.frame).find((f: CapturedFrame) => f.link === 'sensor' && f.type === 'pingreq')!;
      expect(ping.lost).toBe('the link is cut');
      broker.close();
    });
  }
});
