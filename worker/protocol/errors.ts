import { reasonName } from './reason-codes';

/**
 * An error the protocol defines: it carries the reason code a broker or client
 * answers with (0x80 and above), and a message a learner can read.
 */
export class MqttError extends Error {
  /** MQTT 5.0 reason code, e.g. 0x81 Malformed Packet, 0x82 Protocol Error. */
  readonly reasonCode: number;
  /** Byte offset within the packet where the problem was found, when known. */
  readonly offset: number | undefined;
  /** From Framer.push: the whole packets the chunk completed before the failure, to be handled first. */
  frames: Uint8Array[] | undefined;

  constructor(reasonCode: number, message: string, offset?: number) {
    super(`${reasonName(reasonCode)}: ${message}`);
    this.name = 'MqttError';
    this.reasonCode = reasonCode;
    this.offset = offset;
  }
}

export const MALFORMED = 0x81;
export const PROTOCOL_ERROR = 0x82;

export function malformed(message: string, offset?: number): MqttError {
  return new MqttError(MALFORMED, message, offset);
}

export function protocolError(message: string, offset?: number): MqttError {
  return new MqttError(PROTOCOL_ERROR, message, offset);
}
