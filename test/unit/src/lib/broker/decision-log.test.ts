import { describe, expect, it } from 'vitest';
import type { CaptureEntry } from '../../../../../worker/api';
import { categorize, DecisionLog, filterDecisions, isProblem, isSys, NO_FILTER, type BrokerEvent, type DecisionFilter } from '../../../../../src/lib/broker/decision-log';
import { describeEvent } from '../../../../../worker/broker/events';

let seq = 0;
/** As the capture makes them: the link is the client concerned, or the sender of a routed message. */
function ev(event: BrokerEvent, link = 'clientId' in event ? event.clientId : 'from' in event ? event.from : ''): CaptureEntry {
  seq++;
  return { kind: 'event', seq, at: 1000 * seq, wallAt: 0, link, text: describeEvent(event), event };
}
function frame(): CaptureEntry {
  seq++;
  return {
    kind: 'frame', seq, link: 'x', dir: 'to-broker', sentAt: 0, wallAt: 0, arrivedAt: undefined, lost: undefined, size: 2, version: 4,
    type: 'pingreq', text: 'PINGREQ', error: undefined, topic: undefined, qos: undefined, packetId: undefined, reasonCode: undefined, retain: undefined, dup: undefined,
  };
}

const connected: BrokerEvent = { kind: 'client-connected', clientId: 'alice', version: 5, sessionPresent: false, cleanStart: true };
const refused: BrokerEvent = { kind: 'client-refused', clientId: 'mallory', reasonCode: 0x87, reason: 'anonymous access is not allowed' };
const subRefused: BrokerEvent = { kind: 'subscribed', clientId: 'bob', topicFilter: 'secret/#', qos: 1, reasonCode: 0x87 };
const subOk: BrokerEvent = { kind: 'subscribed', clientId: 'bob', topicFilter: 'sensor/#', qos: 1, reasonCode: 1 };
const dropped: BrokerEvent = { kind: 'dropped', clientId: 'X', topic: 'sensor/1/temperature', reason: 'not authorised to publish here' };
const sysRetained: BrokerEvent = { kind: 'retained', topic: '$SYS/broker/uptime', cleared: false };
const sysRouted: BrokerEvent = { kind: 'routed', from: '', topic: '$SYS/broker/uptime', qos: 0, retain: true, receivers: 0 };
const routed: BrokerEvent = { kind: 'routed', from: 'alice', topic: 'sensor/1', qos: 0, retain: false, receivers: 2 };

describe('classifying decisions', () => {
  it('puts every kind in a category', () => {
    expect(categorize(connected)).toBe('connections');
    expect(categorize(subOk)).toBe('subscriptions');
    expect(categorize(dropped)).toBe('messages');
    expect(categorize({ kind: 'will-published', clientId: 'a', topic: 't' })).toBe('wills');
    expect(categorize({ kind: 'protocol-error', clientId: 'a', reasonCode: 0x82, reason: 'r' })).toBe('errors');
  });

  it('marks refusals, drops and protocol errors as problems', () => {
    expect(isProblem(refused)).toBe(true);
    expect(isProblem(subRefused)).toBe(true);
    expect(isProblem(dropped)).toBe(true);
    expect(isProblem(subOk)).toBe(false);
    expect(isProblem(connected)).toBe(false);
  });

  it('marks the broker’s own $SYS publications, not deliveries of them', () => {
    expect(isSys(sysRetained)).toBe(true);
    expect(isSys(sysRouted)).toBe(true);
    expect(isSys(routed)).toBe(false);
    expect(isSys({ kind: 'queued', clientId: 'a', topic: '$SYS/broker/uptime', qos: 0, queued: 1 })).toBe(false);
  });
});

describe('DecisionLog', () => {
  it('keeps the events of a batch, in order, and skips frames', () => {
    const log = new DecisionLog();
    expect(log.add([frame(), ev(connected), frame(), ev(dropped)])).toBe(true);
    expect(log.entries.map((d) => d.text)).toEqual(['alice connected (MQTT 5.0)', 'message to sensor/1/temperature dropped for X: not authorised to publish here']);
    expect(log.entries[1]).toMatchObject({ client: 'X', kind: 'dropped', category: 'messages', problem: true, sys: false });
    expect(log.add([frame()])).toBe(false);
  });

  it('ignores entries it already has', () => {
    const log = new DecisionLog();
    const batch = [ev(connected), ev(refused)];
    log.add(batch);
    expect(log.add(batch)).toBe(false);
    expect(log.entries).toHaveLength(2);
  });

  it('keeps only the newest, up to its limit', () => {
    const log = new DecisionLog(3);
    log.add([ev(connected), ev(subOk), ev(dropped), ev(refused), ev(subRefused)]);
    expect(log.entries.map((d) => d.kind)).toEqual(['dropped', 'client-refused', 'subscribed']);
  });

  it('lists the clients it has seen, sorted, and clears', () => {
    const log = new DecisionLog();
    log.add([ev(refused), ev(connected), ev(sysRetained), ev(routed)]);
    expect(log.clients).toEqual(['alice', 'mallory']);
    log.clear();
    expect(log.entries).toEqual([]);
    expect(log.clients).toEqual([]);
  });
});

describe('filterDecisions', () => {
  const log = new DecisionLog();
  log.add([ev(connected), ev(sysRetained), ev(sysRouted), ev(subOk), ev(subRefused), ev(dropped), ev(routed), ev(refused)]);
  const f = (o: Partial<DecisionFilter>) => filterDecisions(log.entries, { ...NO_FILTER, ...o }).map((d) => d.kind);

  it('hides $SYS unless asked', () => {
    expect(f({})).toEqual(['client-connected', 'subscribed', 'subscribed', 'dropped', 'routed', 'client-refused']);
    expect(f({ showSys: true })).toHaveLength(8);
  });

  it('filters by client', () => {
    expect(f({ client: 'bob' })).toEqual(['subscribed', 'subscribed']);
    expect(f({ client: 'alice' })).toEqual(['client-connected', 'routed']);
  });

  it('filters by category, or problems only', () => {
    expect(f({ category: 'subscriptions' })).toEqual(['subscribed', 'subscribed']);
    expect(f({ category: 'problems' })).toEqual(['subscribed', 'dropped', 'client-refused']);
    expect(f({ category: 'messages', showSys: true })).toEqual(['retained', 'routed', 'dropped', 'routed']);
  });

  it('filters by text, ignoring case, and combines filters', () => {
    expect(f({ text: 'REFUSED' })).toEqual(['subscribed', 'client-refused']);
    expect(f({ text: 'refused', client: 'bob' })).toEqual(['subscribed']);
    expect(f({ text: '0x87', category: 'subscriptions' })).toEqual(['subscribed']);
  });
});
