/** CONNECT (MQTT 5.0 §3.1, 3.1.1 §3.1, 3.1 §3.1 "MQIsdp"). */
import { describe } from 'vitest';
import { bin, codecCase, rejectCase, text } from '../../../../helpers/codec-case';

describe('MQTT 3.1', () => {
  codecCase('connect v3 clean session', 3, {
    type: 'connect', protocolName: 'MQIsdp', protocolVersion: 3, cleanStart: true, keepalive: 60, clientId: 'c1',
  }, [
    0x10, 0x10, //                                     fixed header: CONNECT, remaining length 16
    0x00, 0x06, 0x4d, 0x51, 0x49, 0x73, 0x64, 0x70, // protocol name "MQIsdp"
    0x03, //                                           protocol level 3 (MQTT 3.1)
    0x02, //                                           connect flags: clean session
    0x00, 0x3c, //                                     keep alive 60 s
    0x00, 0x02, 0x63, 0x31, //                         client identifier "c1"
  ]);
  codecCase('connect v3 with will, user name and password', 3, {
    type: 'connect', protocolName: 'MQIsdp', protocolVersion: 3, cleanStart: false, keepalive: 10, clientId: 'c',
    will: { topic: 'w', payload: bin(0x00, 0xff), qos: 2, retain: false },
    username: 'u', password: text('pw'),
  }, [
    0x10, 0x1d, //                                     fixed header: CONNECT, remaining length 29
    0x00, 0x06, 0x4d, 0x51, 0x49, 0x73, 0x64, 0x70, // protocol name "MQIsdp"
    0x03, //                                           protocol level 3
    0xd4, //                                           connect flags: user name 0x80, password 0x40, will QoS 2 0x10, will 0x04
    0x00, 0x0a, //                                     keep alive 10 s
    0x00, 0x01, 0x63, //                               client identifier "c"
    0x00, 0x01, 0x77, //                               will topic "w"
    0x00, 0x02, 0x00, 0xff, //                         will payload 00 ff
    0x00, 0x01, 0x75, //                               user name "u"
    0x00, 0x02, 0x70, 0x77, //                         password "pw"
  ]);
});

describe('MQTT 3.1.1', () => {
  codecCase('connect v4 clean session', 4, {
    type: 'connect', protocolName: 'MQTT', protocolVersion: 4, cleanStart: true, keepalive: 60, clientId: 'c1',
  }, [
    0x10, 0x0e, //                         fixed header: CONNECT, remaining length 14
    0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, // protocol name "MQTT"
    0x04, //                               protocol level 4 (MQTT 3.1.1)
    0x02, //                               connect flags: clean session
    0x00, 0x3c, //                         keep alive 60 s
    0x00, 0x02, 0x63, 0x31, //             client identifier "c1"
  ]);
  codecCase('connect v4 with retained QoS 1 will, user name and password', 4, {
    type: 'connect', protocolName: 'MQTT', protocolVersion: 4, cleanStart: false, keepalive: 0, clientId: 'dev',
    will: { topic: 'bye', payload: text('off'), qos: 1, retain: true },
    username: 'u', password: text('p'),
  }, [
    0x10, 0x1f, //                         fixed header: CONNECT, remaining length 31
    0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, // protocol name "MQTT"
    0x04, //                               protocol level 4
    0xec, //                               connect flags: user name 0x80, password 0x40, will retain 0x20, will QoS 1 0x08, will 0x04
    0x00, 0x00, //                         keep alive 0: off
    0x00, 0x03, 0x64, 0x65, 0x76, //       client identifier "dev"
    0x00, 0x03, 0x62, 0x79, 0x65, //       will topic "bye"
    0x00, 0x03, 0x6f, 0x66, 0x66, //       will payload "off"
    0x00, 0x01, 0x75, //                   user name "u"
    0x00, 0x01, 0x70, //                   password "p"
  ]);
  codecCase('connect v4 empty client identifier and user name only', 4, {
    type: 'connect', protocolName: 'MQTT', protocolVersion: 4, cleanStart: true, keepalive: 0xffff, clientId: '', username: 'me',
  }, [
    0x10, 0x10, //                         fixed header: CONNECT, remaining length 16
    0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, // protocol name "MQTT"
    0x04, //                               protocol level 4
    0x82, //                               connect flags: user name 0x80, clean session 0x02
    0xff, 0xff, //                         keep alive 65535 s
    0x00, 0x00, //                         client identifier "" (zero-length)
    0x00, 0x02, 0x6d, 0x65, //             user name "me"
  ]);
  codecCase('connect v4 client identifier starting with a BOM keeps it', 4, {
    type: 'connect', protocolName: 'MQTT', protocolVersion: 4, cleanStart: true, keepalive: 5, clientId: '\ufeffa',
  }, [
    0x10, 0x10, //                         fixed header: CONNECT, remaining length 16
    0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, // protocol name "MQTT"
    0x04, //                               protocol level 4
    0x02, //                               connect flags: clean session
    0x00, 0x05, //                         keep alive 5 s
    0x00, 0x04, 0xef, 0xbb, 0xbf, 0x61, // client identifier U+FEFF "a": the BOM is a character, not skipped [MQTT-1.5.4-3]
  ]);
});

describe('MQTT 5.0', () => {
  codecCase('connect v5 clean start without properties', 5, {
    type: 'connect', protocolName: 'MQTT', protocolVersion: 5, cleanStart: true, keepalive: 60, clientId: 'c1',
  }, [
    0x10, 0x0f, //                         fixed header: CONNECT, remaining length 15
    0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, // protocol name "MQTT"
    0x05, //                               protocol level 5 (MQTT 5.0)
    0x02, //                               connect flags: clean start
    0x00, 0x3c, //                         keep alive 60 s
    0x00, //                               property length 0
    0x00, 0x02, 0x63, 0x31, //             client identifier "c1"
  ]);

  codecCase('connect v5 with every CONNECT property, will properties and a password without user name', 5, {
    type: 'connect', protocolName: 'MQTT', protocolVersion: 5, cleanStart: true, keepalive: 30, clientId: 'c1',
    properties: {
      sessionExpiryInterval: 3600,
      authenticationMethod: 'SCRAM',
      authenticationData: bin(0x01, 0x02),
      requestProblemInformation: false,
      requestResponseInformation: true,
      receiveMaximum: 20,
      topicAliasMaximum: 10,
      userProperties: [['a', '1'], ['a', '2']],
      maximumPacketSize: 1024,
    },
    will: {
      topic: 'bye', payload: text('off'), qos: 2, retain: false,
      properties: {
        payloadFormatIndicator: true,
        messageExpiryInterval: 60,
        contentType: 'text/plain',
        responseTopic: 'r',
        correlationData: bin(0xab),
        willDelayInterval: 5,
        userProperties: [['k', 'v']],
      },
    },
    password: text('p'),
  }, [
    0x10, 0x74, //                                           fixed header: CONNECT, remaining length 116
    0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, //                   protocol name "MQTT"
    0x05, //                                                 protocol level 5
    0x56, //                                                 connect flags: password 0x40, will QoS 2 0x10, will 0x04, clean start 0x02
    0x00, 0x1e, //                                           keep alive 30 s
    0x2f, //                                                 property length 47
    0x11, 0x00, 0x00, 0x0e, 0x10, //                         0x11 session expiry interval 3600 s
    0x15, 0x00, 0x05, 0x53, 0x43, 0x52, 0x41, 0x4d, //       0x15 authentication method "SCRAM"
    0x16, 0x00, 0x02, 0x01, 0x02, //                         0x16 authentication data 01 02
    0x17, 0x00, //                                           0x17 request problem information 0
    0x19, 0x01, //                                           0x19 request response information 1
    0x21, 0x00, 0x14, //                                     0x21 receive maximum 20
    0x22, 0x00, 0x0a, //                                     0x22 topic alias maximum 10
    0x26, 0x00, 0x01, 0x61, 0x00, 0x01, 0x31, //             0x26 user property "a" = "1"
    0x26, 0x00, 0x01, 0x61, 0x00, 0x01, 0x32, //             0x26 user property "a" = "2"
    0x27, 0x00, 0x00, 0x04, 0x00, //                         0x27 maximum packet size 1024
    0x00, 0x02, 0x63, 0x31, //                               client identifier "c1"
    0x28, //                                                 will property length 40
    0x01, 0x01, //                                           0x01 payload format indicator 1: UTF-8
    0x02, 0x00, 0x00, 0x00, 0x3c, //                         0x02 message expiry interval 60 s
    0x03, 0x00, 0x0a, 0x74, 0x65, 0x78, 0x74, 0x2f, 0x70, 0x6c, 0x61, 0x69, 0x6e, // 0x03 content type "text/plain"
    0x08, 0x00, 0x01, 0x72, //                               0x08 response topic "r"
    0x09, 0x00, 0x01, 0xab, //                               0x09 correlation data ab
    0x18, 0x00, 0x00, 0x00, 0x05, //                         0x18 will delay interval 5 s
    0x26, 0x00, 0x01, 0x6b, 0x00, 0x01, 0x76, //             0x26 user property "k" = "v"
    0x00, 0x03, 0x62, 0x79, 0x65, //                         will topic "bye"
    0x00, 0x03, 0x6f, 0x66, 0x66, //                         will payload "off"
    0x00, 0x01, 0x70, //                                     password "p" (5.0 allows it without a user name)
  ]);

  codecCase('connect v5 will without will properties', 5, {
    type: 'connect', protocolName: 'MQTT', protocolVersion: 5, cleanStart: false, keepalive: 0, clientId: 'c',
    will: { topic: 't', payload: bin(), qos: 0, retain: true },
    username: 'u',
  }, [
    0x10, 0x17, //                         fixed header: CONNECT, remaining length 23
    0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, // protocol name "MQTT"
    0x05, //                               protocol level 5
    0xa4, //                               connect flags: user name 0x80, will retain 0x20, will QoS 0, will 0x04
    0x00, 0x00, //                         keep alive 0
    0x00, //                               property length 0
    0x00, 0x01, 0x63, //                   client identifier "c"
    0x00, //                               will property length 0
    0x00, 0x01, 0x74, //                   will topic "t"
    0x00, 0x00, //                         will payload: empty
    0x00, 0x01, 0x75, //                   user name "u"
  ]);
});

/** A 3.1.1 CONNECT with the given connect flags and payload, for the flag rules. */
function v4Connect(flags: number, payload: number[]): number[] {
  const body = [0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x04, flags, 0x00, 0x3c, ...payload];
  return [0x10, body.length, ...body];
}

/** A 5.0 CONNECT with the given connect flags, properties and payload. */
function v5Connect(flags: number, props: number[], payload: number[]): number[] {
  const body = [0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x05, flags, 0x00, 0x3c, props.length, ...props, ...payload];
  return [0x10, body.length, ...body];
}

const CLIENT_C = [0x00, 0x01, 0x63]; // client identifier "c"
const WILL_T_X = [0x00, 0x01, 0x74, 0x00, 0x01, 0x78]; // will topic "t", payload "x"

describe('validation', () => {
  rejectCase('CONNECT with flags 0001 in the fixed header', 4, [0x11, ...v4Connect(0x02, CLIENT_C).slice(1)], 0x81);
  rejectCase('CONNECT reserved connect flag bit 0 set', 4, v4Connect(0x03, CLIENT_C), 0x81);
  rejectCase('CONNECT v5 reserved connect flag bit 0 set', 5, v5Connect(0x03, [], CLIENT_C), 0x81);
  rejectCase('CONNECT will QoS 1 without the will flag', 4, v4Connect(0x0a, CLIENT_C), 0x81);
  rejectCase('CONNECT will QoS 2 without the will flag', 5, v5Connect(0x12, [], CLIENT_C), 0x81);
  rejectCase('CONNECT will retain without the will flag', 4, v4Connect(0x22, CLIENT_C), 0x81);
  rejectCase('CONNECT v5 will retain without the will flag', 5, v5Connect(0x22, [], CLIENT_C), 0x81);
  rejectCase('CONNECT will QoS 3', 4, v4Connect(0x1e, [...CLIENT_C, ...WILL_T_X]), 0x81);
  rejectCase('CONNECT v5 will QoS 3', 5, v5Connect(0x1e, [], [...CLIENT_C, 0x00, ...WILL_T_X]), 0x81);
  rejectCase('CONNECT v3.1.1 password without user name', 4, v4Connect(0x42, [...CLIENT_C, 0x00, 0x01, 0x70]), 0x81);
  rejectCase('CONNECT unknown protocol name', 4, [
    0x10, 0x0d,
    0x00, 0x04, 0x4d, 0x51, 0x54, 0x58, // "MQTX"
    0x04, 0x02, 0x00, 0x3c, 0x00, 0x01, 0x63,
  ], 0x84);
  rejectCase('CONNECT unknown protocol level 6', 5, [
    0x10, 0x0d,
    0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, // "MQTT"
    0x06, //                               level 6 does not exist
    0x02, 0x00, 0x3c, 0x00, 0x01, 0x63,
  ], 0x84);
  rejectCase('CONNECT protocol level 2', 4, [
    0x10, 0x0f,
    0x00, 0x06, 0x4d, 0x51, 0x49, 0x73, 0x64, 0x70, // "MQIsdp"
    0x02, 0x02, 0x00, 0x3c, 0x00, 0x01, 0x63,
  ], 0x84);
  rejectCase('CONNECT name "MQTT" with level 3', 4, [
    0x10, 0x0d,
    0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, // "MQTT"
    0x03, //                               level 3 goes with "MQIsdp"
    0x02, 0x00, 0x3c, 0x00, 0x01, 0x63,
  ], 0x84);
  rejectCase('CONNECT name "MQIsdp" with level 4', 4, [
    0x10, 0x0f,
    0x00, 0x06, 0x4d, 0x51, 0x49, 0x73, 0x64, 0x70, // "MQIsdp"
    0x04, //                                           level 4 goes with "MQTT"
    0x02, 0x00, 0x3c, 0x00, 0x01, 0x63,
  ], 0x84);
  rejectCase('CONNECT truncated in the protocol name', 4, [0x10, 0x04, 0x00, 0x04, 0x4d, 0x51], 0x81);
  rejectCase('CONNECT truncated before the client identifier', 4, [
    0x10, 0x0a,
    0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x04, 0x02, 0x00, 0x3c, // nothing after keep alive
  ], 0x81);
  rejectCase('CONNECT with the user name flag but no user name', 4, v4Connect(0x82, CLIENT_C), 0x81);
  rejectCase('CONNECT with the will flag but no will', 4, v4Connect(0x06, CLIENT_C), 0x81);
  rejectCase('CONNECT trailing bytes after the payload', 4, v4Connect(0x02, [...CLIENT_C, 0x00]), 0x81);
  rejectCase('CONNECT client identifier with U+0000', 4, v4Connect(0x02, [0x00, 0x02, 0x61, 0x00]), 0x81);
  rejectCase('CONNECT client identifier with an overlong encoding C0 80', 4, v4Connect(0x02, [0x00, 0x02, 0xc0, 0x80]), 0x81);
  rejectCase('CONNECT will topic with a wildcard', 4, v4Connect(0x06, [...CLIENT_C, 0x00, 0x01, 0x23, 0x00, 0x00]), 0x90);
  rejectCase('CONNECT v5 duplicate session expiry interval', 5, v5Connect(0x02, [
    0x11, 0x00, 0x00, 0x00, 0x01,
    0x11, 0x00, 0x00, 0x00, 0x02, // a second 0x11 is a Protocol Error (§3.1.2.11.2)
  ], CLIENT_C), 0x82);
  rejectCase('CONNECT v5 receive maximum 0', 5, v5Connect(0x02, [0x21, 0x00, 0x00], CLIENT_C), 0x82);
  rejectCase('CONNECT v5 maximum packet size 0', 5, v5Connect(0x02, [0x27, 0x00, 0x00, 0x00, 0x00], CLIENT_C), 0x82);
  rejectCase('CONNECT v5 request problem information 2', 5, v5Connect(0x02, [0x17, 0x02], CLIENT_C), 0x82);
  rejectCase('CONNECT v5 authentication data without a method', 5, v5Connect(0x02, [0x16, 0x00, 0x01, 0x00], CLIENT_C), 0x82);
  rejectCase('CONNECT v5 property not allowed in CONNECT (Topic Alias)', 5, v5Connect(0x02, [0x23, 0x00, 0x01], CLIENT_C), 0x81);
  rejectCase('CONNECT v5 property not allowed in CONNECT (Will Delay Interval)', 5, v5Connect(0x02, [0x18, 0x00, 0x00, 0x00, 0x01], CLIENT_C), 0x81);
  rejectCase('CONNECT v5 unknown property identifier 0x04', 5, v5Connect(0x02, [0x04, 0x00], CLIENT_C), 0x81);
  rejectCase('CONNECT v5 will property not allowed in will properties (Session Expiry)', 5, v5Connect(0x06, [], [
    ...CLIENT_C,
    0x05, 0x11, 0x00, 0x00, 0x00, 0x01, // will properties with 0x11 session expiry interval
    ...WILL_T_X,
  ]), 0x81);
  rejectCase('CONNECT v5 duplicate will delay interval', 5, v5Connect(0x06, [], [
    ...CLIENT_C,
    0x0a, 0x18, 0x00, 0x00, 0x00, 0x01, 0x18, 0x00, 0x00, 0x00, 0x02,
    ...WILL_T_X,
  ]), 0x82);
});
