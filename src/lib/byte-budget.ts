/**
 * The byte budget of one PUBLISH: every frame its message cost on the wire,
 * header against payload, beside the same message encoded in 3.1.1 and 5.0
 * and sent as an HTTP/1.1 POST, so that "MQTT is lightweight" can be seen
 * in bytes.
 *
 * The flow of a PUBLISH is found in the capture:
 *
 *   - its acknowledgements on the same link with the same packet identifier:
 *     PUBACK (QoS 1), or PUBREC, PUBREL and PUBCOMP (QoS 2), in that order;
 *     a re-sent copy (DUP) belongs to the flow, a new PUBLISH reusing the
 *     identifier ends it;
 *   - for a PUBLISH to the broker, the copies the broker forwarded to
 *     subscribers, and their acknowledgements. The broker handles one packet
 *     at a time: it writes the copies, then records its decision "routed to
 *     n subscribers". So the copies are the (at most n) PUBLISHes to clients
 *     on the same topic just before that decision, after the decision before
 *     it. Which "routed" decision is this PUBLISH's: the sender's PUBLISHes
 *     on one topic are routed in the order they were sent.
 *
 * Frames name their connection (the virtual client's name) and decisions the
 * MQTT client identifier; `clientIdOf` maps one to the other.
 */
import { encode } from '../../worker/protocol/encode';
import { utf8Length } from '../../worker/protocol/utf8';
import type { PacketType, ProtocolVersion, PublishPacket } from '../../worker/protocol/types';
import type { CaptureEntry, CapturedFrame } from '../../worker/api';
import { indexOfSeq } from './packets/packet-filter';
import { viewPayload } from './topic-format';

/** How far the search for a flow's frames looks, in capture entries either side of the PUBLISH. */
export const FLOW_WINDOW = 20_000;

export type FlowRole = 'publish' | 'resend' | 'ack' | 'forward' | 'forward-ack';

export interface BudgetFrame {
  seq: number;
  link: string;
  dir: CapturedFrame['dir'];
  type: PacketType | undefined;
  role: FlowRole;
  /** Bytes on the wire. */
  size: number;
  /** Bytes of application payload. */
  payload: number;
  /** Everything else: fixed header, variable header, properties. */
  header: number;
  lost: boolean;
}

export interface Tally {
  bytes: number;
  payload: number;
  header: number;
}

export interface Encoding {
  version: ProtocolVersion;
  label: string;
  size: number;
  payload: number;
  header: number;
}

export interface HttpEquivalent {
  /** The request's head: request line and headers, ending with the empty line. */
  requestHead: string;
  /** The body as text (or a note for binary data). */
  body: string;
  requestBytes: number;
  response: string;
  responseBytes: number;
  bytes: number;
  header: number;
}

export interface ByteBudget {
  topic: string;
  qos: number;
  payload: number;
  frames: BudgetFrame[];
  /** The sender's side: the PUBLISH, re-sends and its acknowledgements. */
  sender: Tally;
  /** Every frame of the flow, deliveries included. */
  total: Tally;
  deliveries: number;
  encodings: Encoding[];
  http: HttpEquivalent;
}

const isFrame = (e: CaptureEntry | undefined): e is CapturedFrame => e?.kind === 'frame';
const opposite = (d: CapturedFrame['dir']): CapturedFrame['dir'] => (d === 'to-broker' ? 'to-client' : 'to-broker');

/** The acknowledgements (and DUP re-sends) of the PUBLISH at `entries[i]`, in order. */
export function findAcks(entries: readonly CaptureEntry[], i: number): { frame: CapturedFrame; resend: boolean }[] {
  const p = entries[i];
  if (!isFrame(p) || p.type !== 'publish' || !p.qos || p.packetId === undefined) return [];
  const back = opposite(p.dir);
  const expected: [PacketType, CapturedFrame['dir']][] = p.qos === 1 ? [['puback', back]] : [['pubrec', back], ['pubrel', p.dir], ['pubcomp', back]];
  const out: { frame: CapturedFrame; resend: boolean }[] = [];
  let k = 0;
  for (let j = i + 1; j < entries.length && j <= i + FLOW_WINDOW && k < expected.length; j++) {
    const e = entries[j];
    if (!isFrame(e) || e.link !== p.link || e.packetId !== p.packetId) continue;
    if (e.type === 'publish' && e.dir === p.dir) {
      if (!e.dup) break; // the identifier is used for a new message
      if (k === 0) out.push({ frame: e, resend: true });
      continue;
    }
    const [type, dir] = expected[k]!;
    if (e.type === type && e.dir === dir) {
      out.push({ frame: e, resend: false });
      k++;
    }
  }
  return out;
}

function isRoutedFrom(e: CaptureEntry | undefined, clientId: string, topic: string): e is Extract<CaptureEntry, { kind: 'event' }> {
  return e?.kind === 'event' && e.event.kind === 'routed' && e.event.from === clientId && e.event.topic === topic;
}

/** The copies the broker forwarded of the PUBLISH to the broker at `entries[i]`. */
export function findForwards(entries: readonly CaptureEntry[], i: number, clientId: string): CapturedFrame[] {
  const p = entries[i];
  if (!isFrame(p) || p.type !== 'publish' || p.dir !== 'to-broker' || p.topic === undefined || p.lost || p.error) return [];
  const topic = p.topic;
  // the sender's earlier PUBLISHes on this topic still waiting for their decision
  let waiting = 0;
  for (let j = i - 1; j >= 0 && j >= i - FLOW_WINDOW; j--) {
    const e = entries[j];
    if (isRoutedFrom(e, clientId, topic)) break;
    if (isFrame(e) && e.link === p.link && e.dir === 'to-broker' && e.type === 'publish' && e.topic === topic && !e.lost && !e.error && !e.dup) waiting++;
  }
  let routed = -1;
  for (let j = i + 1, seen = 0; j < entries.length && j <= i + FLOW_WINDOW; j++) {
    if (isRoutedFrom(entries[j], clientId, topic) && seen++ === waiting) {
      routed = j;
      break;
    }
  }
  if (routed < 0) return [];
  const decision = entries[routed] as Extract<CaptureEntry, { kind: 'event' }>;
  const receivers = decision.event.kind === 'routed' ? decision.event.receivers : 0;
  const out: CapturedFrame[] = [];
  for (let j = routed - 1; j > i && out.length < receivers; j--) {
    const e = entries[j]!;
    if (e.kind === 'event' && e.event.kind === 'routed') break;
    if (isFrame(e) && e.dir === 'to-client' && e.type === 'publish' && e.topic === topic && !e.dup) out.unshift(e);
  }
  return out;
}

/** The PUBLISH as an HTTP/1.1 POST of its payload to a resource named after the topic, and a minimal 200 response. */
export function httpEquivalent(topic: string, payload: Uint8Array, contentType?: string, host = 'broker.example'): HttpEquivalent {
  const view = viewPayload(payload);
  let type = contentType;
  if (!type) {
    if (view.binary) type = 'application/octet-stream';
    else {
      try {
        JSON.parse(view.text);
        type = 'application/json';
      } catch {
        type = 'text/plain; charset=utf-8';
      }
    }
  }
  const path = `/topics/${topic.split('/').map(encodeURIComponent).join('/')}`;
  const requestHead = `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: ${type}\r\nContent-Length: ${payload.length}\r\n\r\n`;
  const response = 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n';
  const requestBytes = utf8Length(requestHead) + payload.length;
  const responseBytes = utf8Length(response);
  const body = view.binary ? `(${payload.length} bytes of binary data)` : view.text;
  return { requestHead, body, requestBytes, response, responseBytes, bytes: requestBytes + responseBytes, header: requestBytes + responseBytes - payload.length };
}

/** The same message encoded for a 3.1.1 and a 5.0 connection (properties only in 5.0). */
export function encodings(packet: PublishPacket): Encoding[] {
  const payload = packet.payload.length;
  const base: PublishPacket = { ...packet, dup: false };
  const { properties: _dropped, ...v4 } = base;
  return [
    { version: 4, label: 'MQTT 3.1.1', size: encode(v4, 4).length },
    { version: 5, label: 'MQTT 5.0', size: encode(base, 5).length },
  ].map((e) => ({ ...e, version: e.version as ProtocolVersion, payload, header: e.size - payload }));
}

function tally(frames: readonly BudgetFrame[]): Tally {
  let bytes = 0;
  let payload = 0;
  for (const f of frames) {
    bytes += f.size;
    payload += f.payload;
  }
  return { bytes, payload, header: bytes - payload };
}

/**
 * The budget of the PUBLISH numbered `seq`, whose decoded packet is `packet`,
 * from `entries` (capture entries in seq order that hold it).
 */
export function byteBudget(entries: readonly CaptureEntry[], seq: number, packet: PublishPacket, clientIdOf: (name: string) => string | undefined): ByteBudget | undefined {
  const i = indexOfSeq(entries, seq);
  const p = entries[i];
  if (!isFrame(p) || p.seq !== seq || p.type !== 'publish') return undefined;
  const payload = packet.payload.length;
  const frame = (f: CapturedFrame, role: FlowRole, carries: boolean): BudgetFrame => {
    const body = carries ? Math.min(payload, f.size) : 0;
    return { seq: f.seq, link: f.link, dir: f.dir, type: f.type, role, size: f.size, payload: body, header: f.size - body, lost: f.lost !== undefined };
  };
  const frames: BudgetFrame[] = [frame(p, 'publish', true)];
  for (const a of findAcks(entries, i)) frames.push(frame(a.frame, a.resend ? 'resend' : 'ack', a.resend));
  const sender = tally(frames);
  let deliveries = 0;
  if (p.dir === 'to-broker') {
    for (const f of findForwards(entries, i, clientIdOf(p.link) ?? p.link)) {
      deliveries++;
      frames.push(frame(f, 'forward', true));
      for (const a of findAcks(entries, indexOfSeq(entries, f.seq))) frames.push(frame(a.frame, a.resend ? 'forward' : 'forward-ack', a.resend));
    }
  }
  return {
    topic: packet.topic || p.topic || '',
    qos: packet.qos,
    payload,
    frames,
    sender,
    total: tally(frames),
    deliveries,
    encodings: encodings(packet),
    http: httpEquivalent(packet.topic || p.topic || '', packet.payload, packet.properties?.contentType),
  };
}
