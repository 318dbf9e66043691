/**
 * DISCONNECT (MQTT 5.0 §3.14, 3.1.1 §3.14) and AUTH (5.0 §3.15). In 5.0 a
 * DISCONNECT of Remaining Length 0 means Normal disconnection; 1 is a reason
 * code without properties ("if the Remaining Length is less than 2, a value
 * of 0 is used" for the property length, §3.14.2.2.1).
 */
import { describe } from 'vitest';
import { bin, codecCase, decodeOnlyCase, rejectCase } from '../../../../helpers/codec-case';

describe('DISCONNECT', () => {
  codecCase('disconnect v3', 3, { type: 'disconnect' }, [
    0xe0, 0x00, // fixed header: DISCONNECT, remaining length 0
  ]);
  codecCase('disconnect v4', 4, { type: 'disconnect' }, [
    0xe0, 0x00, // fixed header: DISCONNECT, remaining length 0
  ]);
  codecCase('disconnect v5 normal: remaining length 0', 5, { type: 'disconnect', reasonCode: 0 }, [
    0xe0, 0x00, // fixed header: DISCONNECT, remaining length 0: Normal disconnection, no properties
  ]);
  codecCase('disconnect v5 reason code only: remaining length 1', 5, { type: 'disconnect', reasonCode: 0x04 }, [
    0xe0, 0x01, // fixed header: DISCONNECT, remaining length 1
    0x04, //       reason code 0x04 Disconnect with Will Message; no property length
  ]);
  decodeOnlyCase('disconnect v5 remaining length 2 without properties encodes as length 1', 5, [
    0xe0, 0x02, // fixed header: DISCONNECT, remaining length 2
    0x04, //       reason code 0x04
    0x00, //       property length 0
  ], { type: 'disconnect', reasonCode: 0x04 }, [0xe0, 0x01, 0x04]);
  decodeOnlyCase('disconnect v5 remaining length 1 with Normal encodes as length 0', 5, [
    0xe0, 0x01, // fixed header: DISCONNECT, remaining length 1
    0x00, //       reason code 0x00 Normal disconnection
  ], { type: 'disconnect', reasonCode: 0 }, [0xe0, 0x00]);
  decodeOnlyCase('disconnect v5 remaining length 2 with Normal encodes as length 0', 5, [
    0xe0, 0x02, // fixed header: DISCONNECT, remaining length 2
    0x00, //       reason code 0x00
    0x00, //       property length 0
  ], { type: 'disconnect', reasonCode: 0 }, [0xe0, 0x00]);
  codecCase('disconnect v5 from the client with a session expiry', 5, {
    type: 'disconnect', reasonCode: 0x04, properties: { sessionExpiryInterval: 60, userProperties: [['k', 'v']] },
  }, [
    0xe0, 0x0e, //                               fixed header: DISCONNECT, remaining length 14
    0x04, //                                     reason code 0x04 Disconnect with Will Message
    0x0c, //                                     property length 12
    0x11, 0x00, 0x00, 0x00, 0x3c, //             0x11 session expiry interval 60 s
    0x26, 0x00, 0x01, 0x6b, 0x00, 0x01, 0x76, // 0x26 user property "k" = "v"
  ]);
  codecCase('disconnect v5 from the server with a server reference', 5, {
    type: 'disconnect', reasonCode: 0x9c, properties: { serverReference: 'b2', reasonString: 'bye' },
  }, [
    0xe0, 0x0d, //                         fixed header: DISCONNECT, remaining length 13
    0x9c, //                               reason code 0x9C Use another server
    0x0b, //                               property length 11
    0x1c, 0x00, 0x02, 0x62, 0x32, //       0x1C server reference "b2"
    0x1f, 0x00, 0x03, 0x62, 0x79, 0x65, // 0x1F reason string "bye"
  ]);
  codecCase('disconnect v5 normal with properties keeps the reason code byte', 5, {
    type: 'disconnect', reasonCode: 0, properties: { reasonString: 'x' },
  }, [
    0xe0, 0x06, //             fixed header: DISCONNECT, remaining length 6
    0x00, //                   reason code 0x00 Normal disconnection (needed before properties)
    0x04, //                   property length 4
    0x1f, 0x00, 0x01, 0x78, // 0x1F reason string "x"
  ]);
});

describe('AUTH (5.0 only)', () => {
  codecCase('auth v5 success: remaining length 0', 5, { type: 'auth', reasonCode: 0 }, [
    0xf0, 0x00, // fixed header: AUTH, remaining length 0: Success, no properties
  ]);
  decodeOnlyCase('auth v5 remaining length 2 with Success encodes as length 0', 5, [
    0xf0, 0x02, // fixed header: AUTH, remaining length 2
    0x00, //       reason code 0x00 Success
    0x00, //       property length 0
  ], { type: 'auth', reasonCode: 0 }, [0xf0, 0x00]);
  codecCase('auth v5 continue authentication', 5, {
    type: 'auth', reasonCode: 0x18,
    properties: { authenticationMethod: 'SCRAM', authenticationData: bin(0x01, 0x02, 0x03), reasonString: 'x', userProperties: [['k', 'v']] },
  }, [
    0xf0, 0x1b, //                                     fixed header: AUTH, remaining length 27
    0x18, //                                           reason code 0x18 Continue authentication
    0x19, //                                           property length 25
    0x15, 0x00, 0x05, 0x53, 0x43, 0x52, 0x41, 0x4d, // 0x15 authentication method "SCRAM"
    0x16, 0x00, 0x03, 0x01, 0x02, 0x03, //             0x16 authentication data 01 02 03
    0x1f, 0x00, 0x01, 0x78, //                         0x1F reason string "x"
    0x26, 0x00, 0x01, 0x6b, 0x00, 0x01, 0x76, //       0x26 user property "k" = "v"
  ]);
  codecCase('auth v5 re-authenticate', 5, { type: 'auth', reasonCode: 0x19, properties: { authenticationMethod: 'M' } }, [
    0xf0, 0x06, //             fixed header: AUTH, remaining length 6
    0x19, //                   reason code 0x19 Re-authenticate
    0x04, //                   property length 4
    0x15, 0x00, 0x01, 0x4d, // 0x15 authentication method "M"
  ]);
});

describe('validation', () => {
  rejectCase('DISCONNECT with flags 0001', 4, [0xe1, 0x00], 0x81);
  rejectCase('DISCONNECT v3.1.1 with a body', 4, [
    0xe0, 0x01,
    0x00, // 3.1.1's DISCONNECT has no variable header
  ], 0x81);
  rejectCase('DISCONNECT v5 reason code 0x10, which only PUBACK and PUBREC may carry', 5, [0xe0, 0x01, 0x10], 0x81);
  rejectCase('DISCONNECT v5 reason code 0x18, which only AUTH may carry', 5, [0xe0, 0x01, 0x18], 0x81);
  rejectCase('DISCONNECT v5 property length past the end', 5, [0xe0, 0x02, 0x00, 0x05], 0x81);
  rejectCase('DISCONNECT v5 truncated', 5, [0xe0, 0x03, 0x00], 0x81);
  rejectCase('DISCONNECT v5 property not allowed in DISCONNECT (Receive Maximum)', 5, [0xe0, 0x05, 0x00, 0x03, 0x21, 0x00, 0x01], 0x81);
  rejectCase('DISCONNECT v5 duplicate session expiry interval', 5, [
    0xe0, 0x0c, 0x00,
    0x0a,
    0x11, 0x00, 0x00, 0x00, 0x01,
    0x11, 0x00, 0x00, 0x00, 0x01,
  ], 0x82);
  rejectCase('AUTH in MQTT 3.1.1', 4, [
    0xf0, 0x00, // type 15 is reserved before 5.0
  ], 0x81);
  rejectCase('AUTH in MQTT 3.1', 3, [0xf0, 0x00], 0x81);
  rejectCase('AUTH with flags 0001', 5, [0xf1, 0x00], 0x81);
  rejectCase('AUTH v5 reason code 0x04, which only DISCONNECT may carry', 5, [0xf0, 0x02, 0x04, 0x00], 0x81);
  rejectCase('AUTH v5 property not allowed in AUTH (Session Expiry Interval)', 5, [0xf0, 0x07, 0x18, 0x05, 0x11, 0x00, 0x00, 0x00, 0x01], 0x81);
  rejectCase('AUTH v5 authentication data without a method', 5, [0xf0, 0x06, 0x18, 0x04, 0x16, 0x00, 0x01, 0x00], 0x82);
  rejectCase('AUTH v5 duplicate authentication method', 5, [
    0xf0, 0x0a, 0x18,
    0x08,
    0x15, 0x00, 0x01, 0x4d,
    0x15, 0x00, 0x01, 0x4e,
  ], 0x82);
});
