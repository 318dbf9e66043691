/**
 * From what the learner typed to bytes, their dissection and what the broker
 * will make of them: JSON goes through encode (which refuses only what
 * cannot be written), hex is taken as it is. Run on every keystroke.
 */
import { dissect, encode, MqttError, type Field, type Packet, type ProtocolVersion } from '../../../worker/protocol';
import { parseHex } from './hex';
import { packetFromJson } from './packet-json';
import { predict, type Prediction } from './predict';
import type { LabProblem } from './problem';

export type LabFormat = 'json' | 'hex';

export interface Compiled {
  /** The bytes to send; undefined when none could be made. */
  bytes: Uint8Array | undefined;
  /** Why the text could not be read (JSON syntax, a bad $hex, a hex typo). */
  problem: LabProblem | undefined;
  /** Why encode refused the packet. */
  encodeError: string | undefined;
  /** Fields encode leaves out (unknown names). */
  warnings: LabProblem[];
  /** The packet read from JSON. */
  packet: Packet | undefined;
  /** The dissection of the bytes for the chosen version (dissect never throws). */
  tree: Field | undefined;
  prediction: Prediction;
}

const EMPTY: Prediction = { kind: 'empty' };

export function compile(format: LabFormat, text: string, version: ProtocolVersion): Compiled {
  const out: Compiled = { bytes: undefined, problem: undefined, encodeError: undefined, warnings: [], packet: undefined, tree: undefined, prediction: EMPTY };
  if (format === 'hex') {
    const r = parseHex(text);
    if (!r.ok) {
      out.problem = r.problem;
      return out;
    }
    out.bytes = r.bytes;
  } else {
    const r = packetFromJson(text);
    if (!r.ok) {
      out.problem = r.problem;
      return out;
    }
    out.packet = r.packet;
    out.warnings = r.warnings;
    try {
      // encode reuses one scratch buffer: keep a copy
      out.bytes = encode(r.packet, version).slice();
    } catch (e) {
      out.encodeError = e instanceof MqttError || e instanceof Error ? e.message : String(e);
      return out;
    }
  }
  if (out.bytes.length) {
    out.tree = dissect(out.bytes, version);
    out.prediction = predict(out.bytes, version);
  }
  return out;
}
