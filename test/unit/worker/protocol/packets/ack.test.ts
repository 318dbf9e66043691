/**
 * PUBACK, PUBREC, PUBREL, PUBCOMP (MQTT 5.0 §3.4-3.7, 3.1.1 §3.4-3.7).
 * In 5.0 the Reason Code and Property Length may be omitted: Remaining Length
 * 2 means Success without properties, 3 a reason code without properties
 * (§3.4.2.2.1), 4 or more a reason code and properties.
 */
import { describe } from 'vitest';
import { codecCase, decodeOnlyCase, rejectCase } from '../../../../helpers/codec-case';

describe('MQTT 3.1 and 3.1.1: the packet identifier only', () => {
  for (const version of [3, 4] as const) {
    codecCase(`puback v${version}`, version, { type: 'puback', packetId: 7 }, [
      0x40, 0x02, // fixed header: PUBACK, remaining length 2
      0x00, 0x07, // packet identifier 7
    ]);
    codecCase(`pubrec v${version}`, version, { type: 'pubrec', packetId: 0x1234 }, [
      0x50, 0x02, // fixed header: PUBREC, remaining length 2
      0x12, 0x34, // packet identifier 0x1234
    ]);
    codecCase(`pubrel v${version}`, version, { type: 'pubrel', packetId: 0xffff }, [
      0x62, 0x02, // fixed header: PUBREL with its required flags 0010, remaining length 2
      0xff, 0xff, // packet identifier 65535
    ]);
    codecCase(`pubcomp v${version}`, version, { type: 'pubcomp', packetId: 1 }, [
      0x70, 0x02, // fixed header: PUBCOMP, remaining length 2
      0x00, 0x01, // packet identifier 1
    ]);
  }
});

describe('MQTT 5.0 short forms', () => {
  codecCase('puback v5 success', 5, { type: 'puback', packetId: 7, reasonCode: 0 }, [
    0x40, 0x02, // fixed header: PUBACK, remaining length 2
    0x00, 0x07, // packet identifier 7
  ]);
  codecCase('puback v5 reason code without properties', 5, { type: 'puback', packetId: 7, reasonCode: 0x10 }, [
    0x40, 0x03, // fixed header: PUBACK, remaining length 3
    0x00, 0x07, // packet identifier 7
    0x10, //       reason code 0x10 No matching subscribers; no property length follows
  ]);
  codecCase('pubrec v5 success', 5, { type: 'pubrec', packetId: 2, reasonCode: 0 }, [
    0x50, 0x02, // fixed header: PUBREC, remaining length 2
    0x00, 0x02, // packet identifier 2
  ]);
  codecCase('pubrec v5 failure', 5, { type: 'pubrec', packetId: 2, reasonCode: 0x97 }, [
    0x50, 0x03, // fixed header: PUBREC, remaining length 3
    0x00, 0x02, // packet identifier 2
    0x97, //       reason code 0x97 Quota exceeded
  ]);
  codecCase('pubrel v5 success', 5, { type: 'pubrel', packetId: 3, reasonCode: 0 }, [
    0x62, 0x02, // fixed header: PUBREL, flags 0010, remaining length 2
    0x00, 0x03, // packet identifier 3
  ]);
  codecCase('pubrel v5 packet identifier not found', 5, { type: 'pubrel', packetId: 3, reasonCode: 0x92 }, [
    0x62, 0x03, // fixed header: PUBREL, remaining length 3
    0x00, 0x03, // packet identifier 3
    0x92, //       reason code 0x92 Packet Identifier not found
  ]);
  codecCase('pubcomp v5 success', 5, { type: 'pubcomp', packetId: 4, reasonCode: 0 }, [
    0x70, 0x02, // fixed header: PUBCOMP, remaining length 2
    0x00, 0x04, // packet identifier 4
  ]);
  codecCase('pubcomp v5 packet identifier not found', 5, { type: 'pubcomp', packetId: 4, reasonCode: 0x92 }, [
    0x70, 0x03, // fixed header: PUBCOMP, remaining length 3
    0x00, 0x04, // packet identifier 4
    0x92, //       reason code 0x92 Packet Identifier not found
  ]);

  // longer forms that carry nothing more: decode accepts them, encode picks the shortest
  decodeOnlyCase('puback v5 remaining length 3 with Success encodes as length 2', 5, [
    0x40, 0x03, // fixed header: PUBACK, remaining length 3
    0x00, 0x07, // packet identifier 7
    0x00, //       reason code 0x00 Success
  ], { type: 'puback', packetId: 7, reasonCode: 0 }, [0x40, 0x02, 0x00, 0x07]);
  decodeOnlyCase('puback v5 remaining length 4 with Success encodes as length 2', 5, [
    0x40, 0x04, // fixed header: PUBACK, remaining length 4
    0x00, 0x07, // packet identifier 7
    0x00, //       reason code 0x00 Success
    0x00, //       property length 0
  ], { type: 'puback', packetId: 7, reasonCode: 0 }, [0x40, 0x02, 0x00, 0x07]);
  decodeOnlyCase('puback v5 remaining length 4 with a failure encodes as length 3', 5, [
    0x40, 0x04, // fixed header: PUBACK, remaining length 4
    0x00, 0x07, // packet identifier 7
    0x10, //       reason code 0x10 No matching subscribers
    0x00, //       property length 0
  ], { type: 'puback', packetId: 7, reasonCode: 0x10 }, [0x40, 0x03, 0x00, 0x07, 0x10]);
  decodeOnlyCase('pubcomp v5 empty properties object encodes as length 2', 5, [
    0x70, 0x04, // fixed header: PUBCOMP, remaining length 4
    0x00, 0x09, // packet identifier 9
    0x00, //       reason code Success
    0x00, //       property length 0
  ], { type: 'pubcomp', packetId: 9, reasonCode: 0 }, [0x70, 0x02, 0x00, 0x09]);
});

describe('MQTT 5.0 with properties', () => {
  codecCase('puback v5 with a reason string', 5, { type: 'puback', packetId: 7, reasonCode: 0, properties: { reasonString: 'ok' } }, [
    0x40, 0x09, //             fixed header: PUBACK, remaining length 9
    0x00, 0x07, //             packet identifier 7
    0x00, //                   reason code Success (needed before the properties)
    0x05, //                   property length 5
    0x1f, 0x00, 0x02, 0x6f, 0x6b, // 0x1F reason string "ok"
  ]);
  codecCase('pubrec v5 with repeated user properties', 5, {
    type: 'pubrec', packetId: 0x0102, reasonCode: 0x80,
    properties: { userProperties: [['k', 'v'], ['k', 'w']] },
  }, [
    0x50, 0x12, //                               fixed header: PUBREC, remaining length 18
    0x01, 0x02, //                               packet identifier 0x0102
    0x80, //                                     reason code 0x80 Unspecified error
    0x0e, //                                     property length 14
    0x26, 0x00, 0x01, 0x6b, 0x00, 0x01, 0x76, // 0x26 user property "k" = "v"
    0x26, 0x00, 0x01, 0x6b, 0x00, 0x01, 0x77, // 0x26 user property "k" = "w" (same name again, kept in order)
  ]);
  codecCase('pubrel v5 with a reason string', 5, { type: 'pubrel', packetId: 5, reasonCode: 0x92, properties: { reasonString: 'gone' } }, [
    0x62, 0x0b, //                           fixed header: PUBREL, remaining length 11
    0x00, 0x05, //                           packet identifier 5
    0x92, //                                 reason code Packet Identifier not found
    0x07, //                                 property length 7
    0x1f, 0x00, 0x04, 0x67, 0x6f, 0x6e, 0x65, // 0x1F reason string "gone"
  ]);
  codecCase('pubcomp v5 Success with a user property', 5, { type: 'pubcomp', packetId: 6, reasonCode: 0, properties: { userProperties: [['a', '']] } }, [
    0x70, 0x0a, //                         fixed header: PUBCOMP, remaining length 10
    0x00, 0x06, //                         packet identifier 6
    0x00, //                               reason code Success
    0x06, //                               property length 6
    0x26, 0x00, 0x01, 0x61, 0x00, 0x00, // 0x26 user property "a" = "" (empty value)
  ]);
});

describe('validation', () => {
  rejectCase('PUBREL with flags 0000', 4, [
    0x60, 0x02, // PUBREL with reserved flags 0000 instead of 0010
    0x00, 0x01,
  ], 0x81);
  rejectCase('PUBACK with flags 0010', 5, [
    0x42, 0x02, // PUBACK with reserved flags 0010 instead of 0000
    0x00, 0x01,
  ], 0x81);
  rejectCase('PUBACK packet identifier 0', 4, [
    0x40, 0x02,
    0x00, 0x00, // packet identifier 0 [MQTT-2.2.1-3]
  ], 0x82);
  rejectCase('PUBCOMP v5 packet identifier 0', 5, [0x70, 0x02, 0x00, 0x00], 0x82);
  rejectCase('PUBACK truncated: remaining length 2, one byte follows', 4, [0x40, 0x02, 0x00], 0x81);
  rejectCase('PUBACK truncated: remaining length 2, nothing follows', 4, [0x40, 0x02], 0x81);
  rejectCase('PUBACK remaining length 1 is too short for the packet identifier', 4, [0x40, 0x01, 0x00], 0x81);
  rejectCase('PUBACK v3.1.1 with a reason code byte', 4, [
    0x40, 0x03,
    0x00, 0x07,
    0x00, // 3.1.1 has no reason code: an unexpected byte
  ], 0x81);
  rejectCase('PUBACK v5 property length runs past the end', 5, [
    0x40, 0x04,
    0x00, 0x07,
    0x00,
    0x05, // property length 5, but nothing follows
  ], 0x81);
  rejectCase('PUBACK v5 with a non-minimal property length', 5, [
    0x40, 0x05,
    0x00, 0x07,
    0x00,
    0x80, 0x00, // property length 0 written in two bytes [MQTT-1.5.5-1]
  ], 0x81);
  rejectCase('PUBACK v5 with 0x92, a code only PUBREL and PUBCOMP may carry', 5, [
    0x40, 0x03,
    0x00, 0x07,
    0x92, // Packet Identifier not found is not a PUBACK reason code
  ], 0x81);
  rejectCase('PUBREL v5 with 0x10, a code only PUBACK and PUBREC may carry', 5, [0x62, 0x03, 0x00, 0x07, 0x10], 0x81);
  rejectCase('PUBCOMP v5 with an undefined reason code 0x05', 5, [0x70, 0x03, 0x00, 0x07, 0x05], 0x81);
  rejectCase('PUBACK v5 with a property not allowed in PUBACK (Topic Alias)', 5, [
    0x40, 0x07,
    0x00, 0x07,
    0x00,
    0x03,
    0x23, 0x00, 0x01, // 0x23 Topic Alias belongs to PUBLISH only
  ], 0x81);
  rejectCase('PUBACK v5 with a duplicate reason string', 5, [
    0x40, 0x0c,
    0x00, 0x07,
    0x00,
    0x08,
    0x1f, 0x00, 0x01, 0x61, // reason string "a"
    0x1f, 0x00, 0x01, 0x62, // reason string "b": only one is allowed
  ], 0x82);
  rejectCase('PUBACK v5 trailing bytes after the properties', 5, [
    0x40, 0x05,
    0x00, 0x07,
    0x00,
    0x00, // property length 0
    0xaa, // inside the remaining length but after the last field
  ], 0x81);
});
