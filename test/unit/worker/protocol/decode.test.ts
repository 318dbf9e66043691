/**
 * decode: the fixed header (MQTT 5.0 §2.1, 3.1.1 §2.2), PINGREQ and PINGRESP
 * (§3.12, §3.13), and what holds for every packet: the remaining length, and
 * nothing before or after it.
 */
import { describe, expect, test } from 'vitest';
import { decode, encode, MqttError } from '../../../../worker/protocol';
import { codecCase, decodeError, hex, rejectCase } from '../../../helpers/codec-case';

describe('PINGREQ and PINGRESP', () => {
  for (const version of [3, 4, 5] as const) {
    codecCase(`pingreq v${version}`, version, { type: 'pingreq' }, [
      0xc0, 0x00, // fixed header: PINGREQ, remaining length 0
    ]);
    codecCase(`pingresp v${version}`, version, { type: 'pingresp' }, [
      0xd0, 0x00, // fixed header: PINGRESP, remaining length 0
    ]);
  }
});

describe('fixed header', () => {
  rejectCase('packet type 0 is reserved', 4, [0x00, 0x00], 0x81);
  rejectCase('packet type 0 is reserved in 5.0', 5, [0x00, 0x02, 0x00, 0x01], 0x81);
  rejectCase('PINGREQ with flags 0001', 4, [0xc1, 0x00], 0x81);
  rejectCase('PINGRESP with flags 1000', 5, [0xd8, 0x00], 0x81);
  rejectCase('PINGREQ with a body', 4, [0xc0, 0x01, 0x00], 0x81);
  rejectCase('PINGRESP v5 with a body', 5, [0xd0, 0x01, 0x00], 0x81);
  rejectCase('empty input', 4, [], 0x81);
  rejectCase('first byte only: no remaining length', 4, [0x30], 0x81);
  rejectCase('remaining length cut inside its varint', 4, [0x30, 0x80], 0x81);
  rejectCase('remaining length cut after two varint bytes', 5, [0x30, 0xff, 0xff], 0x81);
  rejectCase('remaining length of five bytes', 4, [
    0x30, 0xff, 0xff, 0xff, 0xff, 0x01, // a fifth byte is never allowed (§1.5.5)
  ], 0x81);
  rejectCase('remaining length of five bytes on PINGREQ', 5, [0xc0, 0x80, 0x80, 0x80, 0x80, 0x00], 0x81);
  rejectCase('remaining length 0 written in two bytes', 4, [
    0xc0, 0x80, 0x00, // non-minimal Variable Byte Integer [MQTT-1.5.5-1]
  ], 0x81);
  rejectCase('remaining length 3 written in three bytes', 4, [0x30, 0x83, 0x80, 0x00, 0x00, 0x01, 0x61], 0x81);
  rejectCase('trailing bytes after a PINGREQ', 4, [
    0xc0, 0x00,
    0xc0, // the start of another packet: decode takes exactly one
  ], 0x81);
  rejectCase('trailing bytes after a PUBACK', 4, [0x40, 0x02, 0x00, 0x07, 0xff, 0xff], 0x81);
  rejectCase('trailing bytes after a PUBLISH', 5, [0x30, 0x05, 0x00, 0x01, 0x61, 0x00, 0x78, 0x00], 0x81);
});

describe('remaining length boundaries (§1.5.5)', () => {
  // [remaining length, its bytes]: 1 to 4 bytes, at each boundary
  const table: [number, number[]][] = [
    [0, [0x00]],
    [127, [0x7f]],
    [128, [0x80, 0x01]],
    [16_383, [0xff, 0x7f]],
    [16_384, [0x80, 0x80, 0x01]],
    [2_097_151, [0xff, 0xff, 0x7f]],
    [2_097_152, [0x80, 0x80, 0x80, 0x01]],
  ];
  for (const [length, varint] of table) {
    test(`remaining length ${length} is ${hex(varint)}`, () => {
      if (length === 0) {
        expect(hex(encode({ type: 'pingreq' }, 4))).toBe('c0 00');
        return;
      }
      // a QoS 0 PUBLISH to "a": 3 bytes of topic, the rest payload
      const payload = new Uint8Array(length - 3).fill(0x41);
      const packet = { type: 'publish', topic: 'a', payload, qos: 0, retain: false, dup: false } as const;
      const bytes = encode(packet, 4);
      expect(hex(bytes.subarray(0, 1 + varint.length + 3))).toBe(hex([0x30, ...varint, 0x00, 0x01, 0x61]));
      expect(bytes.length).toBe(1 + varint.length + length);
      const back = decode(bytes, 4);
      expect(back.type === 'publish' && back.payload.length).toBe(length - 3);
    });
  }

  test('the largest remaining length, announced but absent, is a truncation', () => {
    const err = decodeError([0x30, 0xff, 0xff, 0xff, 0x7f], 4);
    expect(err.reasonCode).toBe(0x81);
    expect(err.message).toMatch(/268435455/);
  });
});

describe('the version argument', () => {
  test('CONNECT carries its own protocol level', () => {
    // a 5.0 CONNECT decodes as 5.0 whatever the connection's version says
    const bytes = [0x10, 0x0d, 0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x05, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00];
    for (const v of [3, 4, 5] as const) {
      expect(decode(Uint8Array.from(bytes), v)).toStrictEqual({
        type: 'connect', protocolName: 'MQTT', protocolVersion: 5, cleanStart: true, keepalive: 0, clientId: '',
      });
    }
  });

  test('errors are MqttError instances with a reason code of 0x80 or more', () => {
    const err = decodeError([0x00, 0x00], 5);
    expect(err).toBeInstanceOf(Error);
    expect(err).toBeInstanceOf(MqttError);
    expect(err.name).toBe('MqttError');
    expect(err.reasonCode).toBeGreaterThanOrEqual(0x80);
  });
});

describe('MQTT 3.1 DUP on re-sent PUBREL, SUBSCRIBE and UNSUBSCRIBE', () => {
  // 3.1 gave these packets QoS 1 in the fixed header, and set DUP when re-sending them
  test('3.1 accepts 0x6A, 0x8A and 0xAA', () => {
    expect(decode(Uint8Array.from([0x6a, 0x02, 0x00, 0x07]), 3)).toEqual({ type: 'pubrel', packetId: 7 });
    expect(decode(Uint8Array.from([0x8a, 0x06, 0x00, 0x01, 0x00, 0x01, 0x61, 0x01]), 3)).toMatchObject({ type: 'subscribe', subscriptions: [{ topicFilter: 'a', qos: 1 }] });
    expect(decode(Uint8Array.from([0xaa, 0x05, 0x00, 0x01, 0x00, 0x01, 0x61]), 3)).toMatchObject({ type: 'unsubscribe', topicFilters: ['a'] });
  });
  rejectCase('3.1.1 refuses PUBREL with DUP (0x6A)', 4, [0x6a, 0x02, 0x00, 0x07], 0x81);
  rejectCase('5.0 refuses SUBSCRIBE with DUP (0x8A)', 5, [0x8a, 0x07, 0x00, 0x01, 0x00, 0x00, 0x01, 0x61, 0x01], 0x81);
  rejectCase('3.1 still refuses other flags on PUBREL (0x63)', 3, [0x63, 0x02, 0x00, 0x07], 0x81);
});
