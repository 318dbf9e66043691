/** SUBSCRIBE (MQTT 5.0 §3.8, 3.1.1 §3.8). */
import { describe } from 'vitest';
import { codecCase, rejectCase } from '../../../../helpers/codec-case';

describe('MQTT 3.1', () => {
  codecCase('subscribe v3 one filter', 3, { type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: 'a/#', qos: 1 }] }, [
    0x82, 0x08, //                   fixed header: SUBSCRIBE with its required flags 0010, remaining length 8
    0x00, 0x01, //                   packet identifier 1
    0x00, 0x03, 0x61, 0x2f, 0x23, // topic filter "a/#"
    0x01, //                         requested QoS 1
  ]);
});

describe('MQTT 3.1.1', () => {
  codecCase('subscribe v4 two filters', 4, {
    type: 'subscribe', packetId: 0x1234,
    subscriptions: [{ topicFilter: 'a/+', qos: 0 }, { topicFilter: 'b', qos: 2 }],
  }, [
    0x82, 0x0c, //                   fixed header: SUBSCRIBE, remaining length 12
    0x12, 0x34, //                   packet identifier 0x1234
    0x00, 0x03, 0x61, 0x2f, 0x2b, // topic filter "a/+"
    0x00, //                         requested QoS 0
    0x00, 0x01, 0x62, //             topic filter "b"
    0x02, //                         requested QoS 2
  ]);
  codecCase('subscribe v4 "$share/..." is an ordinary filter before 5.0', 4, {
    type: 'subscribe', packetId: 2, subscriptions: [{ topicFilter: '$share/g', qos: 0 }],
  }, [
    0x82, 0x0d, //                                                 fixed header: SUBSCRIBE, remaining length 13
    0x00, 0x02, //                                                 packet identifier 2
    0x00, 0x08, 0x24, 0x73, 0x68, 0x61, 0x72, 0x65, 0x2f, 0x67, // topic filter "$share/g"
    0x00, //                                                       requested QoS 0
  ]);
});

describe('MQTT 5.0', () => {
  codecCase('subscribe v5 without properties', 5, {
    type: 'subscribe', packetId: 1,
    subscriptions: [{ topicFilter: 'a', qos: 0, noLocal: false, retainAsPublished: false, retainHandling: 0 }],
  }, [
    0x82, 0x07, //       fixed header: SUBSCRIBE, remaining length 7
    0x00, 0x01, //       packet identifier 1
    0x00, //             property length 0
    0x00, 0x01, 0x61, // topic filter "a"
    0x00, //             subscription options: QoS 0, retain handling 0
  ]);
  codecCase('subscribe v5 with options, a subscription identifier and a shared subscription', 5, {
    type: 'subscribe', packetId: 10,
    properties: { subscriptionIdentifier: 5, userProperties: [['k', 'v']] },
    subscriptions: [
      { topicFilter: 'a/b', qos: 1, noLocal: true, retainAsPublished: true, retainHandling: 2 },
      { topicFilter: '$share/g/c', qos: 0, noLocal: false, retainAsPublished: false, retainHandling: 1 },
    ],
  }, [
    0x82, 0x1f, //                                                             fixed header: SUBSCRIBE, remaining length 31
    0x00, 0x0a, //                                                             packet identifier 10
    0x09, //                                                                   property length 9
    0x0b, 0x05, //                                                             0x0B subscription identifier 5
    0x26, 0x00, 0x01, 0x6b, 0x00, 0x01, 0x76, //                               0x26 user property "k" = "v"
    0x00, 0x03, 0x61, 0x2f, 0x62, //                                           topic filter "a/b"
    0x2d, //                                                                   options: retain handling 2 (0x20), retain as published (0x08), no local (0x04), QoS 1
    0x00, 0x0a, 0x24, 0x73, 0x68, 0x61, 0x72, 0x65, 0x2f, 0x67, 0x2f, 0x63, // topic filter "$share/g/c"
    0x10, //                                                                   options: retain handling 1 (0x10), QoS 0
  ]);
  codecCase('subscribe v5 subscription identifier of four bytes', 5, {
    type: 'subscribe', packetId: 2, properties: { subscriptionIdentifier: 268_435_455 },
    subscriptions: [{ topicFilter: '#', qos: 2, noLocal: false, retainAsPublished: false, retainHandling: 0 }],
  }, [
    0x82, 0x0c, //                         fixed header: SUBSCRIBE, remaining length 12
    0x00, 0x02, //                         packet identifier 2
    0x05, //                               property length 5
    0x0b, 0xff, 0xff, 0xff, 0x7f, //       0x0B subscription identifier 268,435,455
    0x00, 0x01, 0x23, //                   topic filter "#"
    0x02, //                               options: QoS 2
  ]);
});

/** A SUBSCRIBE of one filter with the given option byte; 5.0 adds an empty property list. */
function sub(version: 3 | 4 | 5, filter: string, options: number): number[] {
  const f = [...new TextEncoder().encode(filter)];
  const body = [0x00, 0x01, ...(version === 5 ? [0x00] : []), 0x00, f.length, ...f, options];
  return [0x82, body.length, ...body];
}

describe('validation', () => {
  rejectCase('SUBSCRIBE with flags 0000', 4, [0x80, ...sub(4, 'a', 0).slice(1)], 0x81);
  rejectCase('SUBSCRIBE v5 with flags 0011', 5, [0x83, ...sub(5, 'a', 0).slice(1)], 0x81);
  rejectCase('SUBSCRIBE packet identifier 0', 4, [
    0x82, 0x06,
    0x00, 0x00, // packet identifier 0
    0x00, 0x01, 0x61, 0x00,
  ], 0x82);
  rejectCase('SUBSCRIBE without any filter', 4, [
    0x82, 0x02,
    0x00, 0x01, // packet identifier, then nothing [MQTT-3.8.3-3]
  ], 0x82);
  rejectCase('SUBSCRIBE v3.1 without any filter', 3, [0x82, 0x02, 0x00, 0x01], 0x82);
  rejectCase('SUBSCRIBE v5 without any filter', 5, [0x82, 0x03, 0x00, 0x01, 0x00], 0x82);
  for (const filter of ['a/#/b', 'a+', '#/a', 'sport+', 'sport/tennis#', 'a/b+/c', '']) {
    rejectCase(`SUBSCRIBE invalid filter "${filter}"`, 4, sub(4, filter, 0), 0x8f);
    rejectCase(`SUBSCRIBE v5 invalid filter "${filter}"`, 5, sub(5, filter, 0), 0x8f);
  }
  for (const filter of ['$share//a', '$share/g', '$share/g/', '$share/g+/a', '$share/#/a']) {
    rejectCase(`SUBSCRIBE v5 invalid shared filter "${filter}"`, 5, sub(5, filter, 0), 0x8f);
  }
  rejectCase('SUBSCRIBE filter with U+0000', 4, [0x82, 0x07, 0x00, 0x01, 0x00, 0x02, 0x61, 0x00, 0x00], 0x81);
  rejectCase('SUBSCRIBE v3.1.1 requested QoS 3', 4, sub(4, 'a', 0x03), 0x81);
  rejectCase('SUBSCRIBE v3.1.1 reserved bit 2 (No Local only exists in 5.0)', 4, sub(4, 'a', 0x04), 0x81);
  rejectCase('SUBSCRIBE v3.1.1 reserved bit 7', 4, sub(4, 'a', 0x80), 0x81);
  rejectCase('SUBSCRIBE v5 maximum QoS 3', 5, sub(5, 'a', 0x03), 0x82); // §3.8.3.1: a Protocol Error
  rejectCase('SUBSCRIBE v5 retain handling 3', 5, sub(5, 'a', 0x30), 0x82);
  rejectCase('SUBSCRIBE v5 reserved option bit 6', 5, sub(5, 'a', 0x40), 0x81);
  rejectCase('SUBSCRIBE v5 reserved option bit 7', 5, sub(5, 'a', 0x80), 0x81);
  rejectCase('SUBSCRIBE v5 No Local on a shared subscription', 5, sub(5, '$share/g/a', 0x04), 0x82);
  rejectCase('SUBSCRIBE without the options byte', 4, [
    0x82, 0x05, 0x00, 0x01,
    0x00, 0x01, 0x61, // topic filter "a", then the packet ends
  ], 0x81);
  rejectCase('SUBSCRIBE v5 subscription identifier 0', 5, [
    0x82, 0x09, 0x00, 0x01,
    0x02,
    0x0b, 0x00, // Subscription Identifier 0
    0x00, 0x01, 0x61, 0x00,
  ], 0x82);
  rejectCase('SUBSCRIBE v5 two subscription identifiers', 5, [
    0x82, 0x0b, 0x00, 0x01,
    0x04,
    0x0b, 0x01,
    0x0b, 0x02, // a second one is a Protocol Error in SUBSCRIBE
    0x00, 0x01, 0x61, 0x00,
  ], 0x82);
  rejectCase('SUBSCRIBE v5 property not allowed in SUBSCRIBE (Topic Alias)', 5, [
    0x82, 0x0a, 0x00, 0x01,
    0x03,
    0x23, 0x00, 0x01,
    0x00, 0x01, 0x61, 0x00,
  ], 0x81);
  rejectCase('SUBSCRIBE v5 property not allowed in SUBSCRIBE (Reason String)', 5, [
    0x82, 0x0b, 0x00, 0x01,
    0x04,
    0x1f, 0x00, 0x01, 0x78,
    0x00, 0x01, 0x61, 0x00,
  ], 0x81);
});
