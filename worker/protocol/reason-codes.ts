/**
 * Every MQTT 5.0 reason code (§2.4), with the packets that may carry it and
 * what it means, plus the MQTT 3.1/3.1.1 CONNACK return codes (§3.2.2.3 of
 * 3.1.1). One table drives validation, dissection and the UI's wording.
 */

export type ReasonPacket = 'connack' | 'puback' | 'pubrec' | 'pubrel' | 'pubcomp' | 'suback' | 'unsuback' | 'disconnect' | 'auth';

export interface ReasonCodeInfo {
  code: number;
  name: string;
  meaning: string;
  packets: readonly ReasonPacket[];
}

const PUB: ReasonPacket[] = ['puback', 'pubrec'];

/** Code 0 has a different name in different packets, so it has its own rows. */
export const REASON_CODES: readonly ReasonCodeInfo[] = [
  { code: 0x00, name: 'Success', meaning: 'The operation succeeded.', packets: ['connack', 'puback', 'pubrec', 'pubrel', 'pubcomp', 'unsuback', 'auth'] },
  { code: 0x00, name: 'Normal disconnection', meaning: 'Close the connection normally; do not send the Will Message.', packets: ['disconnect'] },
  { code: 0x00, name: 'Granted QoS 0', meaning: 'The subscription is accepted; maximum QoS sent will be 0.', packets: ['suback'] },
  { code: 0x01, name: 'Granted QoS 1', meaning: 'The subscription is accepted; maximum QoS sent will be 1.', packets: ['suback'] },
  { code: 0x02, name: 'Granted QoS 2', meaning: 'The subscription is accepted; any QoS will be sent.', packets: ['suback'] },
  { code: 0x04, name: 'Disconnect with Will Message', meaning: 'The client wants to disconnect but asks the server to publish its Will Message.', packets: ['disconnect'] },
  { code: 0x10, name: 'No matching subscribers', meaning: 'The message is accepted but there are no subscribers.', packets: PUB },
  { code: 0x11, name: 'No subscription existed', meaning: 'No matching topic filter was being used by the client.', packets: ['unsuback'] },
  { code: 0x18, name: 'Continue authentication', meaning: 'Continue the authentication with another step.', packets: ['auth'] },
  { code: 0x19, name: 'Re-authenticate', meaning: 'Start a re-authentication.', packets: ['auth'] },
  { code: 0x80, name: 'Unspecified error', meaning: 'The sender does not wish to reveal the reason, or none of the other codes apply.', packets: ['connack', 'puback', 'pubrec', 'suback', 'unsuback', 'disconnect'] },
  { code: 0x81, name: 'Malformed Packet', meaning: 'Data in the packet could not be parsed according to the specification.', packets: ['connack', 'disconnect'] },
  { code: 0x82, name: 'Protocol Error', meaning: 'Data in the packet does not conform to the specification, or is not allowed in this state.', packets: ['connack', 'disconnect'] },
  { code: 0x83, name: 'Implementation specific error', meaning: 'The packet is valid but not accepted by this implementation.', packets: ['connack', 'puback', 'pubrec', 'suback', 'unsuback', 'disconnect'] },
  { code: 0x84, name: 'Unsupported Protocol Version', meaning: 'The server does not support the protocol version the client asked for.', packets: ['connack'] },
  { code: 0x85, name: 'Client Identifier not valid', meaning: 'The client identifier is a valid string but the server does not allow it.', packets: ['connack'] },
  { code: 0x86, name: 'Bad User Name or Password', meaning: 'The server does not accept the user name or password.', packets: ['connack'] },
  { code: 0x87, name: 'Not authorized', meaning: 'The client is not authorised to do this.', packets: ['connack', 'puback', 'pubrec', 'suback', 'unsuback', 'disconnect'] },
  { code: 0x88, name: 'Server unavailable', meaning: 'The MQTT server is not available.', packets: ['connack'] },
  { code: 0x89, name: 'Server busy', meaning: 'The server is busy; try again later.', packets: ['connack', 'disconnect'] },
  { code: 0x8a, name: 'Banned', meaning: 'This client has been banned by administrative action.', packets: ['connack'] },
  { code: 0x8b, name: 'Server shutting down', meaning: 'The server is shutting down.', packets: ['disconnect'] },
  { code: 0x8c, name: 'Bad authentication method', meaning: 'The authentication method is not supported or does not match the one in use.', packets: ['connack', 'disconnect'] },
  { code: 0x8d, name: 'Keep Alive timeout', meaning: 'No packet arrived within 1.5 times the Keep Alive.', packets: ['disconnect'] },
  { code: 0x8e, name: 'Session taken over', meaning: 'Another connection using the same client identifier has connected.', packets: ['disconnect'] },
  { code: 0x8f, name: 'Topic Filter invalid', meaning: 'The topic filter is well formed but not accepted.', packets: ['suback', 'unsuback', 'disconnect'] },
  { code: 0x90, name: 'Topic Name invalid', meaning: 'The topic name is well formed but not accepted.', packets: ['connack', 'puback', 'pubrec', 'disconnect'] },
  { code: 0x91, name: 'Packet Identifier in use', meaning: 'The packet identifier is already in use.', packets: ['puback', 'pubrec', 'suback', 'unsuback'] },
  { code: 0x92, name: 'Packet Identifier not found', meaning: 'The packet identifier is not known.', packets: ['pubrel', 'pubcomp'] },
  { code: 0x93, name: 'Receive Maximum exceeded', meaning: 'More QoS 1 and 2 publications arrived than the Receive Maximum allows.', packets: ['disconnect'] },
  { code: 0x94, name: 'Topic Alias invalid', meaning: 'The topic alias is 0 or greater than the Topic Alias Maximum.', packets: ['disconnect'] },
  { code: 0x95, name: 'Packet too large', meaning: 'The packet exceeded the maximum permissible size.', packets: ['connack', 'disconnect'] },
  { code: 0x96, name: 'Message rate too high', meaning: 'The received data rate is too high.', packets: ['disconnect'] },
  { code: 0x97, name: 'Quota exceeded', meaning: 'An implementation or administrative limit has been exceeded.', packets: ['connack', 'puback', 'pubrec', 'suback', 'disconnect'] },
  { code: 0x98, name: 'Administrative action', meaning: 'The connection is closed by administrative action.', packets: ['disconnect'] },
  { code: 0x99, name: 'Payload format invalid', meaning: 'The payload does not match the Payload Format Indicator.', packets: ['connack', 'puback', 'pubrec', 'disconnect'] },
  { code: 0x9a, name: 'Retain not supported', meaning: 'The server does not support retained messages.', packets: ['connack', 'disconnect'] },
  { code: 0x9b, name: 'QoS not supported', meaning: 'The QoS is greater than the server\'s Maximum QoS.', packets: ['connack', 'disconnect'] },
  { code: 0x9c, name: 'Use another server', meaning: 'The client should temporarily use another server.', packets: ['connack', 'disconnect'] },
  { code: 0x9d, name: 'Server moved', meaning: 'The client should permanently use another server.', packets: ['connack', 'disconnect'] },
  { code: 0x9e, name: 'Shared Subscriptions not supported', meaning: 'The server does not support shared subscriptions.', packets: ['suback', 'disconnect'] },
  { code: 0x9f, name: 'Connection rate exceeded', meaning: 'The connection rate limit has been exceeded.', packets: ['connack', 'disconnect'] },
  { code: 0xa0, name: 'Maximum connect time', meaning: 'The maximum connection time authorised for this connection has been exceeded.', packets: ['disconnect'] },
  { code: 0xa1, name: 'Subscription Identifiers not supported', meaning: 'The server does not support subscription identifiers.', packets: ['suback', 'disconnect'] },
  { code: 0xa2, name: 'Wildcard Subscriptions not supported', meaning: 'The server does not support wildcard subscriptions.', packets: ['suback', 'disconnect'] },
];

/** MQTT 3.1 and 3.1.1 CONNACK return codes. */
export const CONNACK_RETURN_CODES: readonly { code: number; name: string; meaning: string }[] = [
  { code: 0, name: 'Connection Accepted', meaning: 'The server accepted the connection.' },
  { code: 1, name: 'Connection Refused, unacceptable protocol version', meaning: 'The server does not support the requested protocol level.' },
  { code: 2, name: 'Connection Refused, identifier rejected', meaning: 'The client identifier is correct UTF-8 but not allowed by the server.' },
  { code: 3, name: 'Connection Refused, Server unavailable', meaning: 'The network connection is made but the MQTT service is unavailable.' },
  { code: 4, name: 'Connection Refused, bad user name or password', meaning: 'The data in the user name or password is malformed or not accepted.' },
  { code: 5, name: 'Connection Refused, not authorized', meaning: 'The client is not authorized to connect.' },
];

/** MQTT 3.1.1 SUBACK return code for a refused subscription. */
export const SUBACK_FAILURE_V4 = 0x80;

const byPacket = new Map<ReasonPacket, Map<number, ReasonCodeInfo>>();
const byCode = new Map<number, ReasonCodeInfo>();
for (const info of REASON_CODES) {
  if (!byCode.has(info.code)) byCode.set(info.code, info);
  for (const p of info.packets) {
    let m = byPacket.get(p);
    if (!m) byPacket.set(p, (m = new Map()));
    m.set(info.code, info);
  }
}

/** The reason code's row as used in `packet`, or its first row when `packet` is omitted. */
export function reasonInfo(code: number, packet?: ReasonPacket): ReasonCodeInfo | undefined {
  return packet ? byPacket.get(packet)?.get(code) : byCode.get(code);
}

export function reasonName(code: number, packet?: ReasonPacket): string {
  return reasonInfo(code, packet)?.name ?? `Reason code 0x${code.toString(16).padStart(2, '0')}`;
}

/** Whether a 5.0 packet of this type may carry this reason code. */
export function isReasonCodeAllowed(packet: ReasonPacket, code: number): boolean {
  return byPacket.get(packet)?.has(code) ?? false;
}
