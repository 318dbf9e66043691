/**
 * encode: canonical bytes, and what it refuses. The byte fixtures of each
 * packet are in packets/*.test.ts; these tests cover what encode drops or
 * shortens, and the packets it cannot express.
 */
import { describe, expect, test } from 'vitest';
import { encode, MqttError, type Packet } from '../../../../worker/protocol';
import { bin, hex } from '../../../helpers/codec-case';

describe('fields a version does not have are left out', () => {
  test.each([
    ['a 5.0 reason code on a 3.1.1 PUBACK', { type: 'puback', packetId: 7, reasonCode: 0x10, properties: { reasonString: 'x' } }, 4, '40 02 00 07'],
    ['a 5.0 reason code on a 3.1.1 DISCONNECT', { type: 'disconnect', reasonCode: 0x04 }, 4, 'e0 00'],
    ['5.0 codes on a 3.1.1 UNSUBACK', { type: 'unsuback', packetId: 1, reasonCodes: [0x11] }, 4, 'b0 02 00 01'],
    ['Session Present on a 3.1 CONNACK', { type: 'connack', sessionPresent: true, reasonCode: 0 }, 3, '20 02 00 00'],
    ['properties on a 3.1.1 PUBLISH', { type: 'publish', topic: 'a', payload: bin(), qos: 0, retain: false, dup: false, properties: { topicAlias: 1 } }, 4, '30 03 00 01 61'],
    ['a packet identifier on a QoS 0 PUBLISH', { type: 'publish', topic: 'a', payload: bin(), qos: 0, retain: false, dup: false, packetId: 5 }, 4, '30 03 00 01 61'],
    ['5.0 subscription options in 3.1.1', { type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: 'a', qos: 1, noLocal: true, retainAsPublished: true, retainHandling: 2 }] }, 4, '82 06 00 01 00 01 61 01'],
  ] as [string, Packet, 3 | 4 | 5, string][])('%s', (_, packet, version, expected) => {
    expect(hex(encode(packet, version))).toBe(expected);
  });
});

describe('empty properties are not sent', () => {
  test.each([
    ['PUBACK', { type: 'puback', packetId: 7, reasonCode: 0, properties: {} }, '40 02 00 07'],
    ['PUBACK with an empty user property list', { type: 'puback', packetId: 7, properties: { userProperties: [] } }, '40 02 00 07'],
    ['DISCONNECT', { type: 'disconnect', reasonCode: 0, properties: {} }, 'e0 00'],
    ['AUTH', { type: 'auth', reasonCode: 0, properties: {} }, 'f0 00'],
    ['PUBLISH', { type: 'publish', topic: 'a', payload: bin(), qos: 0, retain: false, dup: false, properties: {} }, '30 04 00 01 61 00'],
  ] as [string, Packet, string][])('%s', (_, packet, expected) => {
    expect(hex(encode(packet, 5))).toBe(expected);
  });
});

describe('what encode cannot express', () => {
  function refuses(packet: Packet, version: 3 | 4 | 5 = 5): void {
    let err: unknown;
    try {
      encode(packet, version);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MqttError);
  }
  test('a QoS 1 PUBLISH without a packet identifier', () => {
    refuses({ type: 'publish', topic: 'a', payload: bin(), qos: 1, retain: false, dup: false });
  });
  test('a packet identifier over 65535', () => refuses({ type: 'puback', packetId: 65_536 }));
  test('a keep alive over 65535', () => {
    refuses({ type: 'connect', protocolName: 'MQTT', protocolVersion: 4, cleanStart: true, keepalive: 70_000, clientId: '' }, 4);
  });
  test('a string over 65535 bytes', () => {
    refuses({ type: 'publish', topic: 'a'.repeat(65_536), payload: bin(), qos: 0, retain: false, dup: false });
  });
  test('a subscription identifier over 268,435,455', () => {
    refuses({ type: 'subscribe', packetId: 1, properties: { subscriptionIdentifier: 268_435_456 }, subscriptions: [{ topicFilter: 'a', qos: 0 }] });
  });
  test('a message expiry interval over 2^32 - 1', () => {
    refuses({ type: 'publish', topic: 'a', payload: bin(), qos: 0, retain: false, dup: false, properties: { messageExpiryInterval: 2 ** 32 } });
  });
  test('an unknown property name', () => {
    refuses({ type: 'puback', packetId: 1, properties: { colour: 'red' } as never });
  });
  test('a payload that is not a Uint8Array', () => {
    refuses({ type: 'publish', topic: 'a', payload: 'hi' as never, qos: 0, retain: false, dup: false });
  });
});
