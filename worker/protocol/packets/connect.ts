/** CONNECT (§3.1): the first packet a client sends, for every protocol level. */
import { MqttError, malformed, protocolError } from '../errors';
import { PROTOCOL_NAMES } from '../constants';
import { readProperties, writeProperties } from '../properties';
import type { Reader } from '../reader';
import { topicNameProblem } from '../topic';
import type { ConnectPacket, ProtocolVersion, QoS, Will } from '../types';
import type { Writer } from '../writer';
import { traceBits } from './common';

export function decodeConnect(r: Reader): ConnectPacket {
  const t = r.t;
  if (t) t.open('Variable Header', r.pos);
  const nameAt = r.pos;
  const protocolName = r.utf8('Protocol Name');
  const levelAt = r.pos;
  const level = r.u8('Protocol Level');
  if (protocolName !== 'MQTT' && protocolName !== 'MQIsdp') {
    throw new MqttError(0x84, `"${protocolName}" is not an MQTT protocol name (expected "MQTT" or "MQIsdp")`, nameAt); // [MQTT-3.1.2-1]
  }
  if (level !== 3 && level !== 4 && level !== 5) {
    throw new MqttError(0x84, `protocol level ${level} is not one of 3 (3.1), 4 (3.1.1) or 5 (5.0)`, levelAt); // [MQTT-3.1.2-2]
  }
  const version = level as ProtocolVersion;
  if (protocolName !== PROTOCOL_NAMES[version]) {
    throw new MqttError(0x84, `protocol level ${level} goes with the name "${PROTOCOL_NAMES[version]}", not "${protocolName}"`, nameAt);
  }
  if (t) t.version = version;

  const flagsAt = r.pos;
  const flags = r.u8('Connect Flags');
  const cleanStart = (flags & 0x02) !== 0;
  const willFlag = (flags & 0x04) !== 0;
  const willQos = (flags >> 3) & 0x03;
  const willRetain = (flags & 0x20) !== 0;
  const passwordFlag = (flags & 0x40) !== 0;
  const usernameFlag = (flags & 0x80) !== 0;
  traceBits(r, [
    { name: 'User Name Flag', mask: 0x80, value: usernameFlag, note: 'A user name follows in the payload.' },
    { name: 'Password Flag', mask: 0x40, value: passwordFlag, note: 'A password follows in the payload.' },
    { name: 'Will Retain', mask: 0x20, value: willRetain, note: 'Publish the will as a retained message.' },
    { name: 'Will QoS', mask: 0x18, value: willQos, note: 'QoS of the will message.' },
    { name: 'Will Flag', mask: 0x04, value: willFlag, note: 'A will message follows in the payload.' },
    { name: version === 5 ? 'Clean Start' : 'Clean Session', mask: 0x02, value: cleanStart, note: version === 5 ? 'Start a new session, discarding any existing one.' : 'Discard the session when the connection ends, and any existing one now.' },
    { name: 'Reserved', mask: 0x01, value: flags & 0x01, note: 'Must be 0.' },
  ]);
  if (flags & 0x01) throw malformed('the reserved bit 0 of the Connect Flags must be 0', flagsAt); // [MQTT-3.1.2-3]
  if (willQos === 3) throw malformed('the Will QoS must not be 3', flagsAt); // [MQTT-3.1.2-12] (3.1.1: [MQTT-3.1.2-14])
  if (!willFlag && willQos !== 0) throw malformed('Will QoS is set but the Will Flag is not', flagsAt); // [MQTT-3.1.2-11] (3.1.1: [MQTT-3.1.2-13])
  if (!willFlag && willRetain) throw malformed('Will Retain is set but the Will Flag is not', flagsAt); // [MQTT-3.1.2-13] (3.1.1: [MQTT-3.1.2-15])
  if (version < 5 && passwordFlag && !usernameFlag) {
    throw malformed('the Password Flag is set without the User Name Flag, which 3.1.1 forbids', flagsAt); // [MQTT-3.1.2-22]
  }
  const keepalive = r.u16('Keep Alive');
  const properties = version === 5 ? readProperties(r, 'connect') : undefined;
  if (properties?.authenticationData && properties.authenticationMethod === undefined) {
    throw protocolError('Authentication Data without an Authentication Method', flagsAt); // §3.1.2.11.10
  }
  if (t) {
    t.close(r.pos);
    t.open('Payload', r.pos);
  }

  const clientId = r.utf8('Client Identifier'); // [MQTT-3.1.3-3]
  let will: Will | undefined;
  if (willFlag) {
    const willProps = version === 5 ? readProperties(r, 'will') : undefined;
    const topicAt = r.pos;
    const topic = r.utf8('Will Topic');
    const problem = topicNameProblem(topic);
    if (problem) throw new MqttError(0x90, `Will Topic: ${problem}`, topicAt);
    const payload = r.binary('Will Payload');
    will = { topic, payload, qos: willQos as QoS, retain: willRetain };
    if (willProps) will.properties = willProps;
  }
  const username = usernameFlag ? r.utf8('User Name') : undefined;
  const password = passwordFlag ? r.binary('Password') : undefined;
  if (t) t.close(r.pos);
  r.done('CONNECT payload');

  const packet: ConnectPacket = { type: 'connect', protocolName, protocolVersion: version, cleanStart, keepalive, clientId };
  if (will) packet.will = will;
  if (username !== undefined) packet.username = username;
  if (password !== undefined) packet.password = password;
  if (properties) packet.properties = properties;
  return packet;
}

export function encodeConnect(p: ConnectPacket, w: Writer, version: ProtocolVersion): number {
  const v = p.protocolVersion ?? version;
  w.utf8(p.protocolName ?? PROTOCOL_NAMES[v], 'the protocol name');
  w.u8(v);
  const will = p.will;
  let flags = p.cleanStart ? 0x02 : 0;
  if (will) flags |= 0x04 | ((will.qos & 3) << 3) | (will.retain ? 0x20 : 0);
  if (p.password !== undefined) flags |= 0x40;
  if (p.username !== undefined) flags |= 0x80;
  w.u8(flags);
  w.u16(p.keepalive, 'keepalive');
  if (v === 5) writeProperties(w, p.properties);
  w.utf8(p.clientId, 'the client identifier');
  if (will) {
    if (v === 5) writeProperties(w, will.properties);
    w.utf8(will.topic, 'the will topic');
    w.binary(will.payload, 'the will payload');
  }
  if (p.username !== undefined) w.utf8(p.username, 'the user name');
  if (p.password !== undefined) w.binary(p.password, 'the password');
  return 0x10;
}
