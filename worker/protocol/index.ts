/**
 * worker/protocol: MQTT 3.1, 3.1.1 and 5.0 on the wire. Bytes to packets and
 * back, packets explained byte by byte, and the rules of topics. Imports
 * nothing else of the project; safe for the page, the worker and Node.
 */
export { encode } from './encode';
export { decode } from './decode';
export { dissect } from './dissect';
export { Framer, type FramerOptions } from './framer';
export { MqttError, MALFORMED, PROTOCOL_ERROR, malformed, protocolError } from './errors';
export type * from './types';
export { PACKET_TYPE_CODES, PACKET_TYPES, PROTOCOL_VERSIONS, PROTOCOL_NAMES, VERSION_LABELS, MAX_PACKET_SIZE, MAX_VARINT } from './constants';
export { REASON_CODES, CONNACK_RETURN_CODES, reasonInfo, reasonName, isReasonCodeAllowed, type ReasonCodeInfo, type ReasonPacket } from './reason-codes';
export { PROPERTY_DEFS, propertyDef, type PropertyDef, type PropertyContext } from './properties';
export { matches, topicNameProblem, topicFilterProblem, isValidTopicName, isValidTopicFilter, hasWildcard, parseSharedFilter } from './topic';
export { utf8Length, utf8Problem, encodeUtf8 } from './utf8';
export { summarize, describe as describePacket, type PacketSummary } from './summary';
