/** PUBLISH (MQTT 5.0 §3.3, 3.1.1 §3.3). */
import { describe } from 'vitest';
import { bin, codecCase, rejectCase, text } from '../../../../helpers/codec-case';

describe('MQTT 3.1', () => {
  codecCase('publish v3 QoS 0', 3, { type: 'publish', topic: 'a/b', payload: text('hi'), qos: 0, retain: false, dup: false }, [
    0x30, 0x07, //                   fixed header: PUBLISH, QoS 0, remaining length 7
    0x00, 0x03, 0x61, 0x2f, 0x62, // topic name "a/b"
    0x68, 0x69, //                   payload "hi"
  ]);
  codecCase('publish v3 QoS 2', 3, { type: 'publish', topic: 't', payload: text('x'), qos: 2, retain: false, dup: false, packetId: 1 }, [
    0x34, 0x06, //             fixed header: PUBLISH, QoS 2 (0x04), remaining length 6
    0x00, 0x01, 0x74, //       topic name "t"
    0x00, 0x01, //             packet identifier 1
    0x78, //                   payload "x"
  ]);
});

describe('MQTT 3.1.1', () => {
  codecCase('publish v4 QoS 1 retained', 4, { type: 'publish', topic: 'a/b', payload: text('hi'), qos: 1, retain: true, dup: false, packetId: 10 }, [
    0x33, 0x09, //                   fixed header: PUBLISH, QoS 1 (0x02), RETAIN (0x01), remaining length 9
    0x00, 0x03, 0x61, 0x2f, 0x62, // topic name "a/b"
    0x00, 0x0a, //                   packet identifier 10
    0x68, 0x69, //                   payload "hi"
  ]);
  codecCase('publish v4 QoS 2 duplicate with an empty payload', 4, { type: 'publish', topic: 't', payload: bin(), qos: 2, retain: false, dup: true, packetId: 1 }, [
    0x3c, 0x05, //       fixed header: PUBLISH, DUP (0x08), QoS 2 (0x04), remaining length 5
    0x00, 0x01, 0x74, // topic name "t"
    0x00, 0x01, //       packet identifier 1; no payload bytes
  ]);
  codecCase('publish v4 payload of 200 bytes: two-byte remaining length', 4, {
    type: 'publish', topic: 'a', payload: new Uint8Array(200).fill(0x78), qos: 0, retain: false, dup: false,
  }, [
    0x30, 0xcb, 0x01, //      fixed header: PUBLISH, remaining length 203 = 0x4b + 1 * 128 (0xcb 0x01)
    0x00, 0x01, 0x61, //      topic name "a"
    ...new Array<number>(200).fill(0x78), // payload: 200 times "x"
  ]);
  codecCase('publish v4 multi-byte UTF-8 topic', 4, { type: 'publish', topic: 'ü€😀', payload: bin(), qos: 0, retain: false, dup: false }, [
    0x30, 0x0b, //                   fixed header: PUBLISH, remaining length 11
    0x00, 0x09, //                   topic name length 9
    0xc3, 0xbc, //                   U+00FC ü
    0xe2, 0x82, 0xac, //             U+20AC €
    0xf0, 0x9f, 0x98, 0x80, //       U+1F600 😀 (a surrogate pair in JavaScript)
  ]);
  codecCase('publish v4 topic starting with U+FEFF keeps the BOM', 4, { type: 'publish', topic: '\ufeffa', payload: bin(), qos: 0, retain: false, dup: false }, [
    0x30, 0x06, //                         fixed header: PUBLISH, remaining length 6
    0x00, 0x04, 0xef, 0xbb, 0xbf, 0x61, // topic name U+FEFF "a": not stripped [MQTT-1.5.4-3]
  ]);
});

describe('MQTT 5.0', () => {
  codecCase('publish v5 QoS 0 without properties', 5, { type: 'publish', topic: 'a/b', payload: text('hi'), qos: 0, retain: false, dup: false }, [
    0x30, 0x08, //                   fixed header: PUBLISH, QoS 0, remaining length 8
    0x00, 0x03, 0x61, 0x2f, 0x62, // topic name "a/b"
    0x00, //                         property length 0
    0x68, 0x69, //                   payload "hi"
  ]);
  codecCase('publish v5 QoS 1 with message properties', 5, {
    type: 'publish', topic: 'req', payload: text('{}'), qos: 1, retain: false, dup: false, packetId: 3,
    properties: {
      payloadFormatIndicator: true,
      messageExpiryInterval: 30,
      contentType: 'application/json',
      responseTopic: 'res',
      correlationData: bin(0x01, 0x02, 0x03),
      topicAlias: 4,
      userProperties: [['a', '1'], ['b', '2']],
    },
  }, [
    0x32, 0x41, //                                 fixed header: PUBLISH, QoS 1, remaining length 65
    0x00, 0x03, 0x72, 0x65, 0x71, //               topic name "req"
    0x00, 0x03, //                                 packet identifier 3
    0x37, //                                       property length 55
    0x01, 0x01, //                                 0x01 payload format indicator 1: UTF-8
    0x02, 0x00, 0x00, 0x00, 0x1e, //               0x02 message expiry interval 30 s
    0x03, 0x00, 0x10, //                           0x03 content type, 16 bytes:
    0x61, 0x70, 0x70, 0x6c, 0x69, 0x63, 0x61, 0x74, 0x69, 0x6f, 0x6e, 0x2f, 0x6a, 0x73, 0x6f, 0x6e, // "application/json"
    0x08, 0x00, 0x03, 0x72, 0x65, 0x73, //         0x08 response topic "res"
    0x09, 0x00, 0x03, 0x01, 0x02, 0x03, //         0x09 correlation data 01 02 03
    0x23, 0x00, 0x04, //                           0x23 topic alias 4
    0x26, 0x00, 0x01, 0x61, 0x00, 0x01, 0x31, //   0x26 user property "a" = "1"
    0x26, 0x00, 0x01, 0x62, 0x00, 0x01, 0x32, //   0x26 user property "b" = "2"
    0x7b, 0x7d, //                                 payload "{}"
  ]);
  codecCase('publish v5 with three subscription identifiers', 5, {
    type: 'publish', topic: 'a', payload: text('x'), qos: 0, retain: false, dup: false,
    properties: { subscriptionIdentifier: [1, 128, 268_435_455] },
  }, [
    0x30, 0x0f, //                         fixed header: PUBLISH, remaining length 15
    0x00, 0x01, 0x61, //                   topic name "a"
    0x0a, //                               property length 10
    0x0b, 0x01, //                         0x0B subscription identifier 1
    0x0b, 0x80, 0x01, //                   0x0B subscription identifier 128 (two-byte varint)
    0x0b, 0xff, 0xff, 0xff, 0x7f, //       0x0B subscription identifier 268,435,455 (the largest)
    0x78, //                               payload "x"
  ]);
  codecCase('publish v5 QoS 2 retained with one subscription identifier', 5, {
    type: 'publish', topic: 'a', payload: bin(), qos: 2, retain: true, dup: false, packetId: 5,
    properties: { subscriptionIdentifier: 2 },
  }, [
    0x35, 0x08, //       fixed header: PUBLISH, QoS 2 (0x04), RETAIN (0x01), remaining length 8
    0x00, 0x01, 0x61, // topic name "a"
    0x00, 0x05, //       packet identifier 5
    0x02, //             property length 2
    0x0b, 0x02, //       0x0B subscription identifier 2; no payload
  ]);
  codecCase('publish v5 sets a topic alias', 5, {
    type: 'publish', topic: 'a', payload: bin(), qos: 0, retain: false, dup: false, properties: { topicAlias: 1 },
  }, [
    0x30, 0x07, //       fixed header: PUBLISH, remaining length 7
    0x00, 0x01, 0x61, // topic name "a"
    0x03, //             property length 3
    0x23, 0x00, 0x01, // 0x23 topic alias 1
  ]);
  codecCase('publish v5 empty topic with a topic alias', 5, {
    type: 'publish', topic: '', payload: text('x'), qos: 0, retain: false, dup: false, properties: { topicAlias: 2 },
  }, [
    0x30, 0x07, //       fixed header: PUBLISH, remaining length 7
    0x00, 0x00, //       topic name "" (the alias stands for it, §3.3.2.3.4)
    0x03, //             property length 3
    0x23, 0x00, 0x02, // 0x23 topic alias 2
    0x78, //             payload "x"
  ]);
});

const LONG = new Array<number>(40).fill(0x61); // 40 times "a": long enough to leave the ASCII fast path

describe('validation', () => {
  rejectCase('PUBLISH QoS 3', 4, [
    0x36, 0x05, // PUBLISH with both QoS bits set [MQTT-3.3.1-4]
    0x00, 0x01, 0x61, 0x00, 0x01,
  ], 0x81);
  rejectCase('PUBLISH v5 QoS 3', 5, [0x36, 0x06, 0x00, 0x01, 0x61, 0x00, 0x01, 0x00], 0x81);
  rejectCase('PUBLISH DUP on QoS 0', 4, [
    0x38, 0x03, // DUP set, QoS 0 [MQTT-3.3.1-2]
    0x00, 0x01, 0x61,
  ], 0x81);
  rejectCase('PUBLISH v5 DUP on QoS 0', 5, [0x38, 0x04, 0x00, 0x01, 0x61, 0x00], 0x81);
  rejectCase('PUBLISH topic name "#"', 4, [0x30, 0x03, 0x00, 0x01, 0x23], 0x90);
  rejectCase('PUBLISH topic name "a/+"', 3, [0x30, 0x05, 0x00, 0x03, 0x61, 0x2f, 0x2b], 0x90);
  rejectCase('PUBLISH v5 topic name "a/#"', 5, [0x30, 0x06, 0x00, 0x03, 0x61, 0x2f, 0x23, 0x00], 0x90);
  rejectCase('PUBLISH v3.1.1 empty topic name', 4, [0x30, 0x03, 0x00, 0x00, 0x78], 0x82);
  rejectCase('PUBLISH v3.1 empty topic name', 3, [0x30, 0x02, 0x00, 0x00], 0x82);
  rejectCase('PUBLISH v5 empty topic name without a topic alias', 5, [
    0x30, 0x04,
    0x00, 0x00, // empty topic name
    0x00, //       no properties, so no Topic Alias
    0x78,
  ], 0x82);
  rejectCase('PUBLISH v5 topic alias 0', 5, [
    0x30, 0x07, 0x00, 0x01, 0x61,
    0x03,
    0x23, 0x00, 0x00, // Topic Alias 0 [MQTT-3.3.2-8]
  ], 0x94);
  rejectCase('PUBLISH QoS 1 packet identifier 0', 4, [0x32, 0x05, 0x00, 0x01, 0x61, 0x00, 0x00], 0x82);
  rejectCase('PUBLISH v5 QoS 2 packet identifier 0', 5, [0x34, 0x06, 0x00, 0x01, 0x61, 0x00, 0x00, 0x00], 0x82);
  rejectCase('PUBLISH topic with an overlong NUL C0 80', 4, [0x30, 0x04, 0x00, 0x02, 0xc0, 0x80], 0x81);
  rejectCase('PUBLISH topic with an encoded surrogate ED A0 80', 4, [0x30, 0x05, 0x00, 0x03, 0xed, 0xa0, 0x80], 0x81);
  rejectCase('PUBLISH topic with a lone continuation byte', 4, [0x30, 0x03, 0x00, 0x01, 0x80], 0x81);
  rejectCase('PUBLISH topic cut inside a multi-byte character', 4, [0x30, 0x04, 0x00, 0x02, 0x61, 0xc3], 0x81);
  rejectCase('PUBLISH topic with U+0000', 4, [0x30, 0x05, 0x00, 0x03, 0x61, 0x00, 0x62], 0x81);
  rejectCase('PUBLISH long topic with U+0000', 4, [0x30, 0x2c, 0x00, 0x2a, ...LONG, 0x00, 0x62], 0x81);
  rejectCase('PUBLISH long topic with an encoded surrogate', 4, [0x30, 0x2d, 0x00, 0x2b, ...LONG, 0xed, 0xb0, 0x80], 0x81);
  rejectCase('PUBLISH topic length past the end', 4, [
    0x30, 0x05,
    0x00, 0x09, // topic name of 9 bytes, but only 3 follow
    0x61, 0x62, 0x63,
  ], 0x81);
  rejectCase('PUBLISH QoS 1 without its packet identifier', 4, [0x32, 0x03, 0x00, 0x01, 0x61], 0x81);
  rejectCase('PUBLISH QoS 1 with half a packet identifier', 4, [0x32, 0x04, 0x00, 0x01, 0x61, 0x00], 0x81);
  rejectCase('PUBLISH truncated: remaining length 7, four bytes follow', 4, [0x30, 0x07, 0x00, 0x03, 0x61, 0x2f], 0x81);
  rejectCase('PUBLISH v5 without its property length', 5, [0x30, 0x03, 0x00, 0x01, 0x61], 0x81);
  rejectCase('PUBLISH v5 property length past the end', 5, [0x30, 0x05, 0x00, 0x01, 0x61, 0x05, 0x01], 0x81);
  rejectCase('PUBLISH v5 property value cut short', 5, [
    0x30, 0x07, 0x00, 0x01, 0x61,
    0x03,
    0x02, 0x00, 0x00, // message expiry interval needs 4 bytes, 2 are inside the properties
  ], 0x81);
  rejectCase('PUBLISH v5 subscription identifier 0', 5, [
    0x30, 0x06, 0x00, 0x01, 0x61,
    0x02,
    0x0b, 0x00, // Subscription Identifier 0
  ], 0x82);
  rejectCase('PUBLISH v5 duplicate topic alias', 5, [
    0x30, 0x0a, 0x00, 0x01, 0x61,
    0x06,
    0x23, 0x00, 0x01,
    0x23, 0x00, 0x02, // a second Topic Alias
  ], 0x82);
  rejectCase('PUBLISH v5 duplicate content type', 5, [
    0x30, 0x0c, 0x00, 0x01, 0x61,
    0x08,
    0x03, 0x00, 0x01, 0x61,
    0x03, 0x00, 0x01, 0x62, // a second Content Type
  ], 0x82);
  rejectCase('PUBLISH v5 property not allowed in PUBLISH (Session Expiry Interval)', 5, [
    0x30, 0x09, 0x00, 0x01, 0x61,
    0x05,
    0x11, 0x00, 0x00, 0x00, 0x01, // 0x11 belongs to CONNECT, CONNACK and DISCONNECT
  ], 0x81);
  rejectCase('PUBLISH v5 property not allowed in PUBLISH (Will Delay Interval)', 5, [0x30, 0x09, 0x00, 0x01, 0x61, 0x05, 0x18, 0x00, 0x00, 0x00, 0x01], 0x81);
  rejectCase('PUBLISH v5 unknown property identifier 0x00', 5, [0x30, 0x06, 0x00, 0x01, 0x61, 0x02, 0x00, 0x00], 0x81);
  rejectCase('PUBLISH v5 unknown property identifier 0x7f', 5, [0x30, 0x06, 0x00, 0x01, 0x61, 0x02, 0x7f, 0x00], 0x81);
  rejectCase('PUBLISH v5 user property name with U+0000', 5, [
    0x30, 0x0b, 0x00, 0x01, 0x61,
    0x07,
    0x26, 0x00, 0x01, 0x00, 0x00, 0x01, 0x76, // user property name "\0"
  ], 0x81);
  rejectCase('PUBLISH v5 content type with ill-formed UTF-8', 5, [0x30, 0x09, 0x00, 0x01, 0x61, 0x05, 0x03, 0x00, 0x02, 0xc0, 0x80], 0x81);
});
