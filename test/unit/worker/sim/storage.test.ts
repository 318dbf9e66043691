import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultClientConfig } from '../../../../worker/sim/client-config';
import { Simulation } from '../../../../worker/sim/simulation';
import { openStorage, type PlaygroundStorage } from '../../../../worker/sim/storage';
import { SimClock } from '../../../../worker/time/sim-clock';
import { settle, text } from '../../../helpers/broker-harness';

const sims: Simulation[] = [];
afterEach(() => sims.splice(0).forEach((s) => s.dispose()));

/** A page load: a fresh simulation on whatever the storage holds. */
async function load(storage: PlaygroundStorage): Promise<Simulation> {
  const clock = new SimClock(1_000_000, () => 0);
  clock.pause();
  const sim = new Simulation({ clock, store: storage.broker, workspace: storage.workspace, schedule: () => {}, broker: { sysInterval: 0 } });
  sims.push(sim);
  await sim.start();
  return sim;
}

describe('openStorage', () => {
  it('uses IndexedDB when it can, and memory with a notice when it cannot', async () => {
    const idb = await openStorage(new IDBFactory(), 'a');
    expect(idb.kind).toBe('indexeddb');
    expect(idb.notice).toBeUndefined();
    const none = await openStorage(null);
    expect(none).toMatchObject({ kind: 'memory', notice: expect.stringMatching(/no IndexedDB/) });
    const broken = { open: () => { throw new Error('QuotaExceededError'); } } as unknown as IDBFactory;
    expect(await openStorage(broken, 'b')).toMatchObject({ kind: 'memory', notice: expect.stringMatching(/QuotaExceededError/) });
  });

  it('stores a payload that is a view of a larger buffer by its own bytes', async () => {
    const s = await openStorage(new IDBFactory(), 'c');
    const big = new Uint8Array(1000).fill(7);
    const payload = big.subarray(10, 13);
    await s.broker.save({ sessions: [], deletedSessions: [], retained: [{ topic: 't', payload, qos: 0, retain: true, properties: undefined, receivedAt: 1, expiresAt: undefined, origin: 'x' }], deletedRetained: [] });
    const state = await s.broker.load();
    expect(state.retained[0]!.payload).toEqual(Uint8Array.of(7, 7, 7));
    expect(state.retained[0]!.payload.buffer.byteLength).toBe(3);
    await s.workspace.set('k', { a: [1, 2] });
    expect(await s.workspace.get('k')).toEqual({ a: [1, 2] });
  });
});

describe('a reload', () => {
  it('keeps connections, subscriptions, a persistent session with its queued message, and retained messages', async () => {
    const factory = new IDBFactory();
    const first = await load(await openStorage(factory, 'reload'));
    first.createClient({ ...defaultClientConfig('MQTT V3', 'mqtt_v3'), version: 4, cleanStart: false });
    first.createClient({ ...defaultClientConfig('Publisher', 'pub'), version: 5 });
    first.connect('MQTT V3');
    first.connect('Publisher');
    await settle();
    first.subscribe('MQTT V3', { topicFilter: 'clean_session_false', qos: 1 });
    first.setNetwork('Publisher', { latency: 20 });
    await settle();
    first.disconnect('MQTT V3');
    await settle();
    first.publish('Publisher', { topic: 'clean_session_false', payload: text('while you were away'), qos: 1, retain: false });
    first.publish('Publisher', { topic: 'retained_message', payload: text('kept'), qos: 0, retain: true });
    first.clock.advance(20);
    await settle();
    await first.broker.persistence!.flush();
    await settle();

    const second = await load(await openStorage(factory, 'reload'));
    expect(second.views().map((v) => [v.name, v.status])).toEqual([['MQTT V3', 'disconnected'], ['Publisher', 'disconnected']]);
    expect(second.view('MQTT V3').subscriptions.map((s) => s.topicFilter)).toEqual(['clean_session_false']);
    expect(second.view('Publisher').network.latency).toBe(20);
    expect(second.brokerSnapshot().retained.map((r) => r.topic)).toEqual(['retained_message']);
    second.connect('MQTT V3');
    await settle();
    const got = second.messages('MQTT V3').filter((m) => m.direction === 'received');
    expect(got.map((m) => new TextDecoder().decode(m.payload))).toEqual(['while you were away']);
    expect(second.view('MQTT V3').sessionPresent).toBe(true);
  });
});

describe('restarting the broker without its state', () => {
  it('clears what is stored, so nothing comes back after a reload', async () => {
    const factory = new IDBFactory();
    const first = await load(await openStorage(factory, 'drop'));
    first.createClient({ ...defaultClientConfig('p', 'p') });
    first.connect('p');
    await settle();
    first.publish('p', { topic: 'kept', payload: text('x'), qos: 0, retain: true });
    await settle();
    await first.broker.persistence!.flush();
    await first.restartBroker(false);
    expect(first.brokerSnapshot().retained.filter((r) => !r.topic.startsWith('$SYS'))).toEqual([]);
    const second = await load(await openStorage(factory, 'drop'));
    expect(second.brokerSnapshot().retained.filter((r) => !r.topic.startsWith('$SYS'))).toEqual([]);
  });
});
