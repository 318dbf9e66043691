/** SUBACK (MQTT 5.0 §3.9, 3.1.1 §3.9) and UNSUBACK (§3.11): one code per requested filter. */
import { describe } from 'vitest';
import { codecCase, rejectCase } from '../../../../helpers/codec-case';

describe('SUBACK', () => {
  codecCase('suback v3 granted QoS 1', 3, { type: 'suback', packetId: 1, reasonCodes: [1] }, [
    0x90, 0x03, // fixed header: SUBACK, remaining length 3
    0x00, 0x01, // packet identifier 1
    0x01, //       return code: granted QoS 1
  ]);
  codecCase('suback v4 granted and refused', 4, { type: 'suback', packetId: 2, reasonCodes: [0, 2, 0x80] }, [
    0x90, 0x05, // fixed header: SUBACK, remaining length 5
    0x00, 0x02, // packet identifier 2
    0x00, //       return code: granted QoS 0
    0x02, //       return code: granted QoS 2
    0x80, //       return code: failure
  ]);
  codecCase('suback v5 without properties', 5, { type: 'suback', packetId: 1, reasonCodes: [0] }, [
    0x90, 0x04, // fixed header: SUBACK, remaining length 4
    0x00, 0x01, // packet identifier 1
    0x00, //       property length 0
    0x00, //       reason code 0x00 Granted QoS 0
  ]);
  codecCase('suback v5 with a reason string and failures', 5, {
    type: 'suback', packetId: 3, reasonCodes: [1, 0x8f, 0x9e], properties: { reasonString: 'no' },
  }, [
    0x90, 0x0b, //                   fixed header: SUBACK, remaining length 11
    0x00, 0x03, //                   packet identifier 3
    0x05, //                         property length 5
    0x1f, 0x00, 0x02, 0x6e, 0x6f, // 0x1F reason string "no"
    0x01, //                         reason code 0x01 Granted QoS 1
    0x8f, //                         reason code 0x8F Topic Filter invalid
    0x9e, //                         reason code 0x9E Shared Subscriptions not supported
  ]);
});

describe('UNSUBACK', () => {
  codecCase('unsuback v3', 3, { type: 'unsuback', packetId: 1 }, [
    0xb0, 0x02, // fixed header: UNSUBACK, remaining length 2
    0x00, 0x01, // packet identifier 1
  ]);
  codecCase('unsuback v4', 4, { type: 'unsuback', packetId: 4 }, [
    0xb0, 0x02, // fixed header: UNSUBACK, remaining length 2
    0x00, 0x04, // packet identifier 4
  ]);
  codecCase('unsuback v5 one code per filter', 5, { type: 'unsuback', packetId: 4, reasonCodes: [0, 0x11] }, [
    0xb0, 0x05, // fixed header: UNSUBACK, remaining length 5
    0x00, 0x04, // packet identifier 4
    0x00, //       property length 0
    0x00, //       reason code 0x00 Success
    0x11, //       reason code 0x11 No subscription existed
  ]);
  codecCase('unsuback v5 with a reason string', 5, { type: 'unsuback', packetId: 4, reasonCodes: [0x87], properties: { reasonString: 'x' } }, [
    0xb0, 0x08, //             fixed header: UNSUBACK, remaining length 8
    0x00, 0x04, //             packet identifier 4
    0x04, //                   property length 4
    0x1f, 0x00, 0x01, 0x78, // 0x1F reason string "x"
    0x87, //                   reason code 0x87 Not authorized
  ]);
});

describe('validation', () => {
  rejectCase('SUBACK with flags 0010', 4, [0x92, 0x03, 0x00, 0x01, 0x00], 0x81);
  rejectCase('SUBACK packet identifier 0', 4, [0x90, 0x03, 0x00, 0x00, 0x00], 0x82);
  rejectCase('SUBACK v3.1.1 return code 3', 4, [
    0x90, 0x03, 0x00, 0x01,
    0x03, // 3.1.1 allows 0, 1, 2 and 0x80 [MQTT-3.9.3-2]
  ], 0x81);
  rejectCase('SUBACK v3.1.1 return code 0x8f, a 5.0 code', 4, [0x90, 0x03, 0x00, 0x01, 0x8f], 0x81);
  rejectCase('SUBACK v5 reason code 0x11, which only UNSUBACK may carry', 5, [0x90, 0x04, 0x00, 0x01, 0x00, 0x11], 0x81);
  rejectCase('SUBACK v5 reason code 0x92, which only PUBREL and PUBCOMP may carry', 5, [0x90, 0x04, 0x00, 0x01, 0x00, 0x92], 0x81);
  rejectCase('SUBACK without any return code', 4, [0x90, 0x02, 0x00, 0x01], 0x81);
  rejectCase('SUBACK v5 without its property length', 5, [0x90, 0x02, 0x00, 0x01], 0x81);
  rejectCase('SUBACK v5 property not allowed in SUBACK (User Property is, Topic Alias is not)', 5, [
    0x90, 0x07, 0x00, 0x01,
    0x03,
    0x23, 0x00, 0x01,
    0x00,
  ], 0x81);
  rejectCase('UNSUBACK with flags 0010', 4, [0xb2, 0x02, 0x00, 0x01], 0x81);
  rejectCase('UNSUBACK packet identifier 0', 4, [0xb0, 0x02, 0x00, 0x00], 0x82);
  rejectCase('UNSUBACK v3.1.1 with a payload byte', 4, [
    0xb0, 0x03, 0x00, 0x01,
    0x00, // 3.1.1's UNSUBACK has no payload
  ], 0x81);
  rejectCase('UNSUBACK v5 without any reason code', 5, [0xb0, 0x03, 0x00, 0x01, 0x00], 0x81);
  rejectCase('UNSUBACK v5 reason code 0x01, which only SUBACK may carry', 5, [0xb0, 0x04, 0x00, 0x01, 0x00, 0x01], 0x81);
  rejectCase('UNSUBACK v5 duplicate reason string', 5, [
    0xb0, 0x0c, 0x00, 0x01,
    0x08,
    0x1f, 0x00, 0x01, 0x61,
    0x1f, 0x00, 0x01, 0x62,
    0x00,
  ], 0x82);
});
