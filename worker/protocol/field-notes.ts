/**
 * What each field of a dissection means, in a learner's words, and where the
 * specification defines it. Keyed by the field names the codecs read with.
 * Section numbers are MQTT 5.0's; `v4` gives MQTT 3.1.1's where it differs
 * (MQTT 3.1 dissections cite 3.1.1, its successor with the same layout).
 */
import type { ProtocolVersion } from './types';

interface Note {
  note: string;
  v5?: string;
  v4?: string;
}

const NOTES: Record<string, Note> = {
  'Fixed Header': { note: 'Present in every packet: the packet type, its flags and the length of the rest.', v5: '2.1.1', v4: '2.2' },
  'Packet Type and Flags': { note: 'High 4 bits: the control packet type; low 4 bits: flags specific to that type.', v5: '2.1.2', v4: '2.2.1' },
  'Remaining Length': { note: 'Number of bytes after this field: a Variable Byte Integer, 7 bits per byte, low bits first, the top bit meaning "more bytes follow".', v5: '2.1.4', v4: '2.2.3' },
  'Variable Header': { note: 'Fields that depend on the packet type, between the fixed header and the payload.', v5: '2.2', v4: '2.3' },
  Payload: { note: 'The data the packet carries.', v5: '2.3', v4: '2.4' },
  'Packet Identifier': { note: 'Matches this packet with its acknowledgement; never 0 where required.', v5: '2.2.1', v4: '2.3.1' },
  'String Length': { note: 'Two-byte big-endian length of the UTF-8 string that follows.', v5: '1.5.4', v4: '1.5.3' },
  Characters: { note: 'The string itself, UTF-8 encoded.', v5: '1.5.4', v4: '1.5.3' },
  'Data Length': { note: 'Two-byte big-endian length of the binary data that follows.', v5: '1.5.6' },
  Data: { note: 'The binary data itself.', v5: '1.5.6' },
  Properties: { note: 'MQTT 5.0 properties: a length, then identifier/value pairs.', v5: '2.2.2' },
  'Will Properties': { note: 'Properties of the will message, sent with it when it is published.', v5: '3.1.3.2' },
  'Property Length': { note: 'Number of bytes of properties that follow, as a Variable Byte Integer.', v5: '2.2.2.1' },
  'Property Identifier': { note: 'Which property this is.', v5: '2.2.2.2' },
  'Protocol Name': { note: '"MQTT" for 3.1.1 and 5.0, "MQIsdp" for 3.1.', v5: '3.1.2.1', v4: '3.1.2.1' },
  'Protocol Level': { note: 'The protocol version: 3 = MQTT 3.1, 4 = MQTT 3.1.1, 5 = MQTT 5.0.', v5: '3.1.2.2', v4: '3.1.2.2' },
  'Connect Flags': { note: 'Which optional fields the payload has, and how the session and the will behave.', v5: '3.1.2.3', v4: '3.1.2.3' },
  'Keep Alive': { note: 'Longest time in seconds between two packets from the client; the server gives up after 1.5 times this. 0 switches it off.', v5: '3.1.2.10', v4: '3.1.2.10' },
  'Client Identifier': { note: 'Identifies the client and its session on the server.', v5: '3.1.3.1', v4: '3.1.3.1' },
  'Will Topic': { note: 'Topic the will message is published to when the client disconnects abnormally.', v5: '3.1.3.3', v4: '3.1.3.2' },
  'Will Payload': { note: 'Payload of the will message.', v5: '3.1.3.4', v4: '3.1.3.3' },
  'User Name': { note: 'Used by the server for authentication and authorisation.', v5: '3.1.3.5', v4: '3.1.3.4' },
  Password: { note: 'Binary data used with the user name for authentication.', v5: '3.1.3.6', v4: '3.1.3.5' },
  'Connect Acknowledge Flags': { note: 'Bit 0 is Session Present; the other bits are reserved.', v5: '3.2.2.1', v4: '3.2.2.1' },
  'Connect Reason Code': { note: 'Whether the connection was accepted, and if not, why.', v5: '3.2.2.2' },
  'Connect Return Code': { note: 'Whether the connection was accepted, and if not, why.', v4: '3.2.2.3' },
  'Topic Name': { note: 'The topic this message is published to; no wildcards.', v5: '3.3.2.1', v4: '3.3.2.1' },
  'Reason Code': { note: 'The result of the operation; values of 0x80 and above are failures.', v5: '2.4' },
  Subscription: { note: 'One topic filter with its subscription options.', v5: '3.8.3', v4: '3.8.3' },
  'Topic Filter': { note: 'The topics to receive; may contain the wildcards + and #.', v5: '3.8.3', v4: '3.8.3' },
  'Subscription Options': { note: 'Maximum QoS, and in 5.0 No Local, Retain As Published and Retain Handling.', v5: '3.8.3.1', v4: '3.8.3.1' },
  'Requested QoS': { note: 'The maximum QoS at which the server may send matching messages.', v4: '3.8.3.1' },
  'Return Code': { note: 'The QoS granted for the subscription, or 0x80 for a failure.', v4: '3.9.3' },
  Value: { note: 'The value of the property.', v5: '2.2.2.2' },
  Name: { note: 'The name of the user property.', v5: '3.1.2.11.8' },
  'Unexpected Bytes': { note: 'Bytes after the end of the packet that its length does not account for.' },
  'Undecoded Bytes': { note: 'Bytes after the point where the packet stopped making sense.' },
};

const PACKET_SECTIONS: Record<string, [v5: string, v4: string]> = {
  CONNECT: ['3.1', '3.1'], CONNACK: ['3.2', '3.2'], PUBLISH: ['3.3', '3.3'], PUBACK: ['3.4', '3.4'],
  PUBREC: ['3.5', '3.5'], PUBREL: ['3.6', '3.6'], PUBCOMP: ['3.7', '3.7'], SUBSCRIBE: ['3.8', '3.8'],
  SUBACK: ['3.9', '3.9'], UNSUBSCRIBE: ['3.10', '3.10'], UNSUBACK: ['3.11', '3.11'], PINGREQ: ['3.12', '3.12'],
  PINGRESP: ['3.13', '3.13'], DISCONNECT: ['3.14', '3.14'], AUTH: ['3.15', '3.15'],
};

export function specRef(section: string, version: ProtocolVersion): string {
  return `${version === 5 ? 'MQTT 5.0' : 'MQTT 3.1.1'} §${section}`;
}

/** The note and spec reference of a field name, as far as the table knows them. */
export function describeField(name: string, version: ProtocolVersion): { note?: string; spec?: string } {
  const n = NOTES[name];
  if (!n) {
    const p = PACKET_SECTIONS[name];
    return p ? { spec: specRef(version === 5 ? p[0] : p[1], version) } : {};
  }
  const section = version === 5 ? n.v5 : (n.v4 ?? n.v5);
  // a 5.0-only field seen in an older version still cites 5.0, where it is defined
  if (!section) return { note: n.note };
  return { note: n.note, spec: version !== 5 && !n.v4 ? specRef(section, 5) : specRef(section, version) };
}
