/**
 * MQTT 5.0 properties (§2.2.2): every property once, by hand, and the
 * specification's table of which packets may carry which property, checked
 * against the decoder in every packet type.
 */
import { describe, expect, test } from 'vitest';
import { decode, encode, PROPERTY_DEFS, type Packet, type Properties, type PropertyContext } from '../../../../worker/protocol';
import { bin, decodeError, hex } from '../../../helpers/codec-case';

/** A packet whose property list is `props`, in the smallest valid form of each context. */
function wrap(ctx: PropertyContext, props: number[]): number[] {
  const p = [props.length, ...props]; // property length (one byte in these tests) and the properties
  expect(props.length).toBeLessThan(128);
  let first: number;
  let body: number[];
  switch (ctx) {
    case 'connect': first = 0x10; body = [0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x05, 0x02, 0x00, 0x3c, ...p, 0x00, 0x01, 0x63]; break;
    case 'will': first = 0x10; body = [0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x05, 0x06, 0x00, 0x3c, 0x00, 0x00, 0x01, 0x63, ...p, 0x00, 0x01, 0x74, 0x00, 0x00]; break;
    case 'connack': first = 0x20; body = [0x00, 0x00, ...p]; break;
    case 'publish': first = 0x30; body = [0x00, 0x01, 0x61, ...p]; break;
    case 'puback': first = 0x40; body = [0x00, 0x01, 0x00, ...p]; break;
    case 'pubrec': first = 0x50; body = [0x00, 0x01, 0x00, ...p]; break;
    case 'pubrel': first = 0x62; body = [0x00, 0x01, 0x00, ...p]; break;
    case 'pubcomp': first = 0x70; body = [0x00, 0x01, 0x00, ...p]; break;
    case 'subscribe': first = 0x82; body = [0x00, 0x01, ...p, 0x00, 0x01, 0x61, 0x00]; break;
    case 'suback': first = 0x90; body = [0x00, 0x01, ...p, 0x00]; break;
    case 'unsubscribe': first = 0xa2; body = [0x00, 0x01, ...p, 0x00, 0x01, 0x61]; break;
    case 'unsuback': first = 0xb0; body = [0x00, 0x01, ...p, 0x00]; break;
    case 'disconnect': first = 0xe0; body = [0x00, ...p]; break;
    case 'auth': first = 0xf0; body = [0x00, ...p]; break;
  }
  expect(body.length).toBeLessThan(128);
  return [first, body.length, ...body];
}

function propertiesOf(packet: Packet, ctx: PropertyContext): Properties | undefined {
  if (ctx === 'will') return packet.type === 'connect' ? packet.will?.properties : undefined;
  return 'properties' in packet ? packet.properties : undefined;
}

const CONTEXTS: PropertyContext[] = ['connect', 'will', 'connack', 'publish', 'puback', 'pubrec', 'pubrel', 'pubcomp', 'subscribe', 'suback', 'unsubscribe', 'unsuback', 'disconnect', 'auth'];

// one line per property: identifier, a packet that may carry it, its bytes, what it decodes to
const SAMPLES: [id: number, ctx: PropertyContext, bytes: number[], value: Properties][] = [
  [0x01, 'publish', [0x01, 0x00], { payloadFormatIndicator: false }], //                                  byte 0: unspecified bytes
  [0x02, 'publish', [0x02, 0xff, 0xff, 0xff, 0xff], { messageExpiryInterval: 4_294_967_295 }], //         four-byte integer
  [0x03, 'will', [0x03, 0x00, 0x04, 0x74, 0x65, 0x78, 0x74], { contentType: 'text' }], //                  UTF-8 string "text"
  [0x08, 'publish', [0x08, 0x00, 0x03, 0x61, 0x2f, 0x62], { responseTopic: 'a/b' }], //                    UTF-8 string "a/b"
  [0x09, 'will', [0x09, 0x00, 0x00], { correlationData: bin() }], //                                       empty binary data
  [0x0b, 'subscribe', [0x0b, 0x80, 0x80, 0x01], { subscriptionIdentifier: 16_384 }], //                    three-byte varint
  [0x11, 'connack', [0x11, 0xff, 0xff, 0xff, 0xff], { sessionExpiryInterval: 0xffff_ffff }], //            never expires
  [0x12, 'connack', [0x12, 0x00, 0x01, 0x63], { assignedClientIdentifier: 'c' }],
  [0x13, 'connack', [0x13, 0x00, 0x00], { serverKeepAlive: 0 }], //                                       two-byte integer 0
  [0x15, 'auth', [0x15, 0x00, 0x05, 0x50, 0x4c, 0x41, 0x49, 0x4e], { authenticationMethod: 'PLAIN' }],
  [0x16, 'connect', [
    0x15, 0x00, 0x01, 0x4d, //                                                                              a method must come with the data
    0x16, 0x00, 0x02, 0xde, 0xad,
  ], { authenticationMethod: 'M', authenticationData: bin(0xde, 0xad) }],
  [0x17, 'connect', [0x17, 0x01], { requestProblemInformation: true }],
  [0x18, 'will', [0x18, 0x00, 0x00, 0x00, 0x00], { willDelayInterval: 0 }],
  [0x19, 'connect', [0x19, 0x00], { requestResponseInformation: false }],
  [0x1a, 'connack', [0x1a, 0x00, 0x00], { responseInformation: '' }], //                                   empty string
  [0x1c, 'disconnect', [0x1c, 0x00, 0x01, 0x73], { serverReference: 's' }],
  [0x1f, 'suback', [0x1f, 0x00, 0x02, 0xc3, 0xa9], { reasonString: 'é' }], //                              two-byte character
  [0x21, 'connect', [0x21, 0xff, 0xff], { receiveMaximum: 65_535 }],
  [0x22, 'connack', [0x22, 0x00, 0x00], { topicAliasMaximum: 0 }], //                                     0: no aliases accepted
  [0x23, 'publish', [0x23, 0xff, 0xff], { topicAlias: 65_535 }],
  [0x24, 'connack', [0x24, 0x00], { maximumQoS: 0 }],
  [0x25, 'connack', [0x25, 0x01], { retainAvailable: true }],
  [0x26, 'unsuback', [0x26, 0x00, 0x00, 0x00, 0x00], { userProperties: [['', '']] }], //                  empty name and value
  [0x27, 'connect', [0x27, 0xff, 0xff, 0xff, 0xff], { maximumPacketSize: 4_294_967_295 }],
  [0x28, 'connack', [0x28, 0x00], { wildcardSubscriptionAvailable: false }],
  [0x29, 'connack', [0x29, 0x01], { subscriptionIdentifiersAvailable: true }],
  [0x2a, 'connack', [0x2a, 0x00], { sharedSubscriptionAvailable: false }],
];

// the table of §2.2.2.2, copied from the specification
const SPEC_CONTEXTS: Record<number, PropertyContext[]> = {
  0x01: ['publish', 'will'],
  0x02: ['publish', 'will'],
  0x03: ['publish', 'will'],
  0x08: ['publish', 'will'],
  0x09: ['publish', 'will'],
  0x0b: ['publish', 'subscribe'],
  0x11: ['connect', 'connack', 'disconnect'],
  0x12: ['connack'],
  0x13: ['connack'],
  0x15: ['connect', 'connack', 'auth'],
  0x16: ['connect', 'connack', 'auth'],
  0x17: ['connect'],
  0x18: ['will'],
  0x19: ['connect'],
  0x1a: ['connack'],
  0x1c: ['connack', 'disconnect'],
  0x1f: ['connack', 'puback', 'pubrec', 'pubrel', 'pubcomp', 'suback', 'unsuback', 'disconnect', 'auth'],
  0x21: ['connect', 'connack'],
  0x22: ['connect', 'connack'],
  0x23: ['publish'],
  0x24: ['connack'],
  0x25: ['connack'],
  0x26: CONTEXTS,
  0x27: ['connect', 'connack'],
  0x28: ['connack'],
  0x29: ['connack'],
  0x2a: ['connack'],
};

describe('every property, by hand', () => {
  test('the samples cover every property identifier', () => {
    expect(SAMPLES.map((s) => s[0])).toEqual(PROPERTY_DEFS.map((d) => d.id).sort((a, b) => a - b));
  });
  for (const [id, ctx, bytes, value] of SAMPLES) {
    test(`0x${id.toString(16).padStart(2, '0')} ${Object.keys(value).join(', ')} in ${ctx}`, () => {
      const wire = wrap(ctx, bytes);
      const packet = decode(Uint8Array.from(wire), 5);
      expect(propertiesOf(packet, ctx)).toStrictEqual(value);
      expect(hex(encode(packet, 5))).toBe(hex(wire));
    });
  }
});

describe('which packets may carry which property (§2.2.2.2)', () => {
  for (const def of PROPERTY_DEFS) {
    const id = `0x${def.id.toString(16).padStart(2, '0')}`;
    test(`${id} ${def.label}: the table matches the specification`, () => {
      expect([...def.contexts].sort()).toEqual([...SPEC_CONTEXTS[def.id]!].sort());
    });
    test(`${id} ${def.label}: decoded where allowed, Malformed Packet (0x81) elsewhere`, () => {
      const [, , bytes, value] = SAMPLES.find((s) => s[0] === def.id)!;
      for (const ctx of CONTEXTS) {
        const wire = wrap(ctx, bytes);
        if (SPEC_CONTEXTS[def.id]!.includes(ctx)) {
          expect(propertiesOf(decode(Uint8Array.from(wire), 5), ctx), ctx).toStrictEqual(value);
        } else {
          expect(decodeError(wire, 5).reasonCode, ctx).toBe(0x81);
        }
      }
    });
  }
});

describe('repetition', () => {
  for (const [id, ctx, bytes] of SAMPLES) {
    if (id === 0x26) continue; // user properties may repeat; the samples put 0x0B in SUBSCRIBE, where it may not
    test(`0x${id.toString(16).padStart(2, '0')} twice in ${ctx} is a Protocol Error (0x82)`, () => {
      expect(decodeError(wrap(ctx, [...bytes, ...bytes]), 5).reasonCode).toBe(0x82);
    });
  }

  test('user properties repeat in every packet, in order, duplicates kept', () => {
    const two = [0x26, 0x00, 0x01, 0x6b, 0x00, 0x01, 0x31, 0x26, 0x00, 0x01, 0x6b, 0x00, 0x01, 0x31]; // "k" = "1" twice
    for (const ctx of CONTEXTS) {
      const wire = wrap(ctx, two);
      const packet = decode(Uint8Array.from(wire), 5);
      expect(propertiesOf(packet, ctx), ctx).toStrictEqual({ userProperties: [['k', '1'], ['k', '1']] });
      expect(hex(encode(packet, 5)), ctx).toBe(hex(wire));
    }
  });

  test('subscription identifiers repeat in PUBLISH only', () => {
    const two = [0x0b, 0x01, 0x0b, 0x02];
    expect(propertiesOf(decode(Uint8Array.from(wrap('publish', two)), 5), 'publish')).toStrictEqual({ subscriptionIdentifier: [1, 2] });
    expect(decodeError(wrap('subscribe', two), 5).reasonCode).toBe(0x82);
  });
});

describe('values', () => {
  test.each([
    ['request problem information 2', 'connect', [0x17, 0x02]],
    ['request response information 2', 'connect', [0x19, 0x02]],
    ['retain available 2', 'connack', [0x25, 0x02]],
    ['wildcard subscription available 2', 'connack', [0x28, 0x02]],
    ['subscription identifiers available 2', 'connack', [0x29, 0x02]],
    ['shared subscription available 2', 'connack', [0x2a, 0x02]],
    ['maximum QoS 2', 'connack', [0x24, 0x02]],
    ['receive maximum 0 in CONNECT', 'connect', [0x21, 0x00, 0x00]],
    ['receive maximum 0 in CONNACK', 'connack', [0x21, 0x00, 0x00]],
    ['maximum packet size 0', 'connect', [0x27, 0x00, 0x00, 0x00, 0x00]],
    ['subscription identifier 0 in SUBSCRIBE', 'subscribe', [0x0b, 0x00]],
    ['subscription identifier 0 in PUBLISH', 'publish', [0x0b, 0x00]],
  ] as [string, PropertyContext, number[]][])('%s is a Protocol Error (0x82)', (_, ctx, bytes) => {
    expect(decodeError(wrap(ctx, bytes), 5).reasonCode).toBe(0x82);
  });

  test('topic alias 0 is Topic Alias invalid (0x94)', () => {
    expect(decodeError(wrap('publish', [0x23, 0x00, 0x00]), 5).reasonCode).toBe(0x94);
  });

  test('a subscription identifier written in five bytes is malformed', () => {
    expect(decodeError(wrap('publish', [0x0b, 0x80, 0x80, 0x80, 0x80, 0x01]), 5).reasonCode).toBe(0x81);
  });

  test('a non-minimal subscription identifier is malformed', () => {
    expect(decodeError(wrap('publish', [0x0b, 0x81, 0x00]), 5).reasonCode).toBe(0x81);
  });

  test('encode writes properties in identifier order, whatever the object order', () => {
    const packet: Packet = {
      type: 'publish', topic: 'a', payload: bin(), qos: 0, retain: false, dup: false,
      properties: { userProperties: [['k', 'v']], topicAlias: 1, payloadFormatIndicator: true },
    };
    expect(hex(encode(packet, 5))).toBe(hex(wrap('publish', [
      0x01, 0x01, //                               0x01 payload format indicator
      0x23, 0x00, 0x01, //                         0x23 topic alias 1
      0x26, 0x00, 0x01, 0x6b, 0x00, 0x01, 0x76, // 0x26 user property
    ])));
  });
});
