/** CONNACK (MQTT 5.0 §3.2, 3.1.1 §3.2; 3.1 had no Session Present). */
import { describe } from 'vitest';
import { bin, codecCase, decodeOnlyCase, rejectCase } from '../../../../helpers/codec-case';

describe('MQTT 3.1', () => {
  codecCase('connack v3 accepted', 3, { type: 'connack', sessionPresent: false, reasonCode: 0 }, [
    0x20, 0x02, // fixed header: CONNACK, remaining length 2
    0x00, //       unused byte (3.1 has no Session Present)
    0x00, //       return code 0: connection accepted
  ]);
  codecCase('connack v3 identifier rejected', 3, { type: 'connack', sessionPresent: false, reasonCode: 2 }, [
    0x20, 0x02, // fixed header: CONNACK, remaining length 2
    0x00, //       unused byte
    0x02, //       return code 2: identifier rejected
  ]);
  decodeOnlyCase('connack v3 ignores its unused first byte', 3, [
    0x20, 0x02, // fixed header: CONNACK, remaining length 2
    0x01, //       unused in 3.1, so not a Session Present flag
    0x00, //       return code 0
  ], { type: 'connack', sessionPresent: false, reasonCode: 0 }, [0x20, 0x02, 0x00, 0x00]);
});

describe('MQTT 3.1.1', () => {
  codecCase('connack v4 accepted with session present', 4, { type: 'connack', sessionPresent: true, reasonCode: 0 }, [
    0x20, 0x02, // fixed header: CONNACK, remaining length 2
    0x01, //       connect acknowledge flags: session present
    0x00, //       return code 0: connection accepted
  ]);
  codecCase('connack v4 not authorized', 4, { type: 'connack', sessionPresent: false, reasonCode: 5 }, [
    0x20, 0x02, // fixed header: CONNACK, remaining length 2
    0x00, //       connect acknowledge flags: none
    0x05, //       return code 5: not authorized
  ]);
});

describe('MQTT 5.0', () => {
  codecCase('connack v5 success without properties', 5, { type: 'connack', sessionPresent: false, reasonCode: 0 }, [
    0x20, 0x03, // fixed header: CONNACK, remaining length 3
    0x00, //       connect acknowledge flags: none
    0x00, //       reason code 0x00 Success
    0x00, //       property length 0
  ]);
  codecCase('connack v5 refused', 5, { type: 'connack', sessionPresent: false, reasonCode: 0x87 }, [
    0x20, 0x03, // fixed header: CONNACK, remaining length 3
    0x00, //       connect acknowledge flags: none (must be 0 on a refusal)
    0x87, //       reason code 0x87 Not authorized
    0x00, //       property length 0
  ]);
  codecCase('connack v5 with every CONNACK property', 5, {
    type: 'connack', sessionPresent: true, reasonCode: 0,
    properties: {
      sessionExpiryInterval: 120,
      assignedClientIdentifier: 'auto-1',
      serverKeepAlive: 30,
      authenticationMethod: 'M',
      authenticationData: bin(0x00),
      responseInformation: 'resp/',
      serverReference: 'b2',
      reasonString: 'ok',
      receiveMaximum: 100,
      topicAliasMaximum: 5,
      maximumQoS: 1,
      retainAvailable: false,
      userProperties: [['x', 'y']],
      maximumPacketSize: 65536,
      wildcardSubscriptionAvailable: true,
      subscriptionIdentifiersAvailable: false,
      sharedSubscriptionAvailable: true,
    },
  }, [
    0x20, 0x4a, //                                           fixed header: CONNACK, remaining length 74
    0x01, //                                                 connect acknowledge flags: session present
    0x00, //                                                 reason code 0x00 Success
    0x47, //                                                 property length 71
    0x11, 0x00, 0x00, 0x00, 0x78, //                         0x11 session expiry interval 120 s
    0x12, 0x00, 0x06, 0x61, 0x75, 0x74, 0x6f, 0x2d, 0x31, // 0x12 assigned client identifier "auto-1"
    0x13, 0x00, 0x1e, //                                     0x13 server keep alive 30 s
    0x15, 0x00, 0x01, 0x4d, //                               0x15 authentication method "M"
    0x16, 0x00, 0x01, 0x00, //                               0x16 authentication data 00
    0x1a, 0x00, 0x05, 0x72, 0x65, 0x73, 0x70, 0x2f, //       0x1A response information "resp/"
    0x1c, 0x00, 0x02, 0x62, 0x32, //                         0x1C server reference "b2"
    0x1f, 0x00, 0x02, 0x6f, 0x6b, //                         0x1F reason string "ok"
    0x21, 0x00, 0x64, //                                     0x21 receive maximum 100
    0x22, 0x00, 0x05, //                                     0x22 topic alias maximum 5
    0x24, 0x01, //                                           0x24 maximum QoS 1
    0x25, 0x00, //                                           0x25 retain available 0
    0x26, 0x00, 0x01, 0x78, 0x00, 0x01, 0x79, //             0x26 user property "x" = "y"
    0x27, 0x00, 0x01, 0x00, 0x00, //                         0x27 maximum packet size 65536
    0x28, 0x01, //                                           0x28 wildcard subscription available 1
    0x29, 0x00, //                                           0x29 subscription identifiers available 0
    0x2a, 0x01, //                                           0x2A shared subscription available 1
  ]);
});

describe('validation', () => {
  rejectCase('CONNACK v3.1.1 session present with a refusal', 4, [
    0x20, 0x02,
    0x01, // session present
    0x05, // ...but refused [MQTT-3.2.2-4]
  ], 0x82);
  rejectCase('CONNACK v5 session present with a refusal', 5, [
    0x20, 0x03,
    0x01, // session present
    0x87, // ...but Not authorized [MQTT-3.2.2-6]
    0x00,
  ], 0x82);
  rejectCase('CONNACK v3.1.1 return code 6', 4, [
    0x20, 0x02,
    0x00,
    0x06, // 3.1.1 defines 0 to 5; 6 and above are reserved
  ], 0x81);
  rejectCase('CONNACK v3.1.1 reserved acknowledge flag bit', 4, [
    0x20, 0x02,
    0x02, // bits 7-1 are reserved [MQTT-3.2.2-1]
    0x00,
  ], 0x81);
  rejectCase('CONNACK v5 reason code 0x04, which only DISCONNECT may carry', 5, [0x20, 0x03, 0x00, 0x04, 0x00], 0x81);
  rejectCase('CONNACK v5 reason code 0x8e, which only DISCONNECT may carry', 5, [0x20, 0x03, 0x00, 0x8e, 0x00], 0x81);
  rejectCase('CONNACK v5 without its property length', 5, [0x20, 0x02, 0x00, 0x00], 0x81);
  rejectCase('CONNACK v5 truncated', 5, [0x20, 0x03, 0x00, 0x00], 0x81);
  rejectCase('CONNACK v5 maximum QoS 2', 5, [
    0x20, 0x05, 0x00, 0x00,
    0x02,
    0x24, 0x02, // Maximum QoS must be 0 or 1
  ], 0x82);
  rejectCase('CONNACK v5 receive maximum 0', 5, [0x20, 0x06, 0x00, 0x00, 0x03, 0x21, 0x00, 0x00], 0x82);
  rejectCase('CONNACK v5 duplicate server keep alive', 5, [
    0x20, 0x09, 0x00, 0x00,
    0x06,
    0x13, 0x00, 0x0a,
    0x13, 0x00, 0x14, // a second Server Keep Alive
  ], 0x82);
  rejectCase('CONNACK v5 property not allowed in CONNACK (Request Problem Information)', 5, [
    0x20, 0x05, 0x00, 0x00,
    0x02,
    0x17, 0x01, // 0x17 belongs to CONNECT only
  ], 0x81);
  rejectCase('CONNACK v5 property not allowed in CONNACK (Subscription Identifier)', 5, [0x20, 0x05, 0x00, 0x00, 0x02, 0x0b, 0x01], 0x81);
  rejectCase('CONNACK v5 unknown property identifier 0x2b', 5, [0x20, 0x05, 0x00, 0x00, 0x02, 0x2b, 0x00], 0x81);
  rejectCase('CONNACK v5 authentication data without a method', 5, [0x20, 0x07, 0x00, 0x00, 0x04, 0x16, 0x00, 0x01, 0x00], 0x82);
  rejectCase('CONNACK with flags 1000', 4, [0x28, 0x02, 0x00, 0x00], 0x81);
});
