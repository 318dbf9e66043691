/** UNSUBSCRIBE (MQTT 5.0 §3.10, 3.1.1 §3.10). */
import { describe } from 'vitest';
import { codecCase, rejectCase } from '../../../../helpers/codec-case';

describe('fixtures', () => {
  codecCase('unsubscribe v3', 3, { type: 'unsubscribe', packetId: 1, topicFilters: ['a'] }, [
    0xa2, 0x05, //       fixed header: UNSUBSCRIBE with its required flags 0010, remaining length 5
    0x00, 0x01, //       packet identifier 1
    0x00, 0x01, 0x61, // topic filter "a"
  ]);
  codecCase('unsubscribe v4 two filters', 4, { type: 'unsubscribe', packetId: 5, topicFilters: ['a/+', '#'] }, [
    0xa2, 0x0a, //                   fixed header: UNSUBSCRIBE, remaining length 10
    0x00, 0x05, //                   packet identifier 5
    0x00, 0x03, 0x61, 0x2f, 0x2b, // topic filter "a/+"
    0x00, 0x01, 0x23, //             topic filter "#"
  ]);
  codecCase('unsubscribe v5 without properties', 5, { type: 'unsubscribe', packetId: 6, topicFilters: ['$share/g/a'] }, [
    0xa2, 0x0f, //                                                             fixed header: UNSUBSCRIBE, remaining length 15
    0x00, 0x06, //                                                             packet identifier 6
    0x00, //                                                                   property length 0
    0x00, 0x0a, 0x24, 0x73, 0x68, 0x61, 0x72, 0x65, 0x2f, 0x67, 0x2f, 0x61, // topic filter "$share/g/a"
  ]);
  codecCase('unsubscribe v5 with a user property', 5, { type: 'unsubscribe', packetId: 6, topicFilters: ['a'], properties: { userProperties: [['k', 'v']] } }, [
    0xa2, 0x0d, //                               fixed header: UNSUBSCRIBE, remaining length 13
    0x00, 0x06, //                               packet identifier 6
    0x07, //                                     property length 7
    0x26, 0x00, 0x01, 0x6b, 0x00, 0x01, 0x76, // 0x26 user property "k" = "v"
    0x00, 0x01, 0x61, //                         topic filter "a"
  ]);
});

describe('validation', () => {
  rejectCase('UNSUBSCRIBE with flags 0000', 4, [0xa0, 0x05, 0x00, 0x01, 0x00, 0x01, 0x61], 0x81);
  rejectCase('UNSUBSCRIBE packet identifier 0', 4, [0xa2, 0x05, 0x00, 0x00, 0x00, 0x01, 0x61], 0x82);
  rejectCase('UNSUBSCRIBE without any filter', 4, [0xa2, 0x02, 0x00, 0x01], 0x82);
  rejectCase('UNSUBSCRIBE v5 without any filter', 5, [0xa2, 0x03, 0x00, 0x01, 0x00], 0x82);
  rejectCase('UNSUBSCRIBE invalid filter "a/#/b"', 4, [0xa2, 0x09, 0x00, 0x01, 0x00, 0x05, 0x61, 0x2f, 0x23, 0x2f, 0x62], 0x8f);
  rejectCase('UNSUBSCRIBE v5 invalid filter "sport+"', 5, [0xa2, 0x0b, 0x00, 0x01, 0x00, 0x00, 0x06, 0x73, 0x70, 0x6f, 0x72, 0x74, 0x2b], 0x8f);
  rejectCase('UNSUBSCRIBE filter cut short', 4, [
    0xa2, 0x05, 0x00, 0x01,
    0x00, 0x05, 0x61, // a filter of 5 bytes, 1 present
  ], 0x81);
  rejectCase('UNSUBSCRIBE v5 property not allowed (Subscription Identifier)', 5, [
    0xa2, 0x08, 0x00, 0x01,
    0x02, 0x0b, 0x01, // 0x0B belongs to SUBSCRIBE and PUBLISH
    0x00, 0x01, 0x61,
  ], 0x81);
});
