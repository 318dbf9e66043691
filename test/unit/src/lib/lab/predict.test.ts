import { describe, expect, it } from 'vitest';
import { encode } from '../../../../../worker/protocol';
import { disconnectCode, frameLength, predict } from '../../../../../src/lib/lab/predict';

const hex = (s: string) => Uint8Array.from(s.split(/\s+/).filter(Boolean).map((h) => parseInt(h, 16)));

describe('predict', () => {
  it('measures the first packet by its fixed header', () => {
    expect(frameLength(hex('c0 00'))).toBe(2);
    expect(frameLength(hex('30'))).toBe(-1);
    expect(frameLength(hex('30 80'))).toBe(-1);
    expect(frameLength(hex('30 80 01'))).toBe(131);
    expect(frameLength(hex('30 ff ff ff ff 01'))).toBe(-2);
  });

  it('waits when the Remaining Length promises more', () => {
    expect(predict(hex('30 0a 00 01 61'), 4)).toEqual({ kind: 'waits', need: 7 });
    expect(predict(hex('30'), 4)).toEqual({ kind: 'waits', need: 1 });
    expect(predict(new Uint8Array(), 5)).toEqual({ kind: 'empty' });
  });

  it('judges the first packet and counts the bytes after it', () => {
    expect(predict(hex('c0 00 c0'), 5)).toMatchObject({ kind: 'accepted', reply: 'pingresp', extra: 1 });
    expect(predict(hex('36 03 00 01 61'), 5)).toMatchObject({ kind: 'fails', reasonCode: 0x81, extra: 0 });
    expect(predict(hex('ff ff ff ff ff'), 5)).toMatchObject({ kind: 'fails', reasonCode: 0x81 });
  });

  it('knows the answers to well-formed packets', () => {
    const pub = (qos: 0 | 1 | 2) => encode({ type: 'publish', topic: 'a', payload: new Uint8Array(), qos, retain: false, dup: false, ...(qos ? { packetId: 1 } : {}) }, 5);
    expect(predict(pub(0), 5)).toMatchObject({ kind: 'accepted', reply: undefined });
    expect(predict(pub(1), 5)).toMatchObject({ kind: 'accepted', reply: 'puback' });
    expect(predict(pub(2), 5)).toMatchObject({ kind: 'accepted', reply: 'pubrec' });
    expect(predict(encode({ type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: 'a', qos: 0 }] }, 4), 4)).toMatchObject({ kind: 'accepted', reply: 'suback' });
    expect(predict(encode({ type: 'disconnect', reasonCode: 0 }, 5), 5)).toMatchObject({ kind: 'closes' });
  });

  it('applies the rules of an established connection', () => {
    expect(predict(encode({ type: 'connect', protocolName: 'MQTT', protocolVersion: 4, cleanStart: true, keepalive: 0, clientId: 'x' }, 4), 4)).toMatchObject({ kind: 'fails', reasonCode: 0x82, rule: 'second-connect' });
    expect(predict(encode({ type: 'connack', sessionPresent: false, reasonCode: 0 }, 5), 5)).toMatchObject({ kind: 'fails', reasonCode: 0x82, rule: 'server-only' });
    expect(predict(encode({ type: 'auth', reasonCode: 0x18 }, 5), 5)).toMatchObject({ kind: 'fails', reasonCode: 0x82, rule: 'auth' });
  });

  it('turns codes a DISCONNECT cannot carry into Protocol Error', () => {
    expect(disconnectCode(0x81)).toBe(0x81);
    expect(disconnectCode(0x90)).toBe(0x90);
    expect(disconnectCode(0x84)).toBe(0x82);
  });
});
