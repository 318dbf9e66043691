/**
 * The broker's reaction to bytes the lab sent, read from the capture: the
 * frame that carried them, then what followed on that connection (frames
 * both ways, and the broker's decisions about that client), and the outcome
 * in one word: a DISCONNECT with its reason code, a refusal, the connection
 * closed without a word (3.1/3.1.1), a reply, a routed message, or nothing
 * yet.
 *
 * Frames are recorded under the connection's name, the broker's decisions
 * under the client identifier; the capture numbers both in one sequence.
 */
import type { CaptureEntry, CapturedFrame } from '../../../worker/api';
import type { PacketType } from '../../../worker/protocol';

/** What the lab remembers of a send, to find it in the capture. */
export interface LabSend {
  /** The connection's name (frames' `link`). */
  link: string;
  /** Its client identifier (decisions' `link`). */
  clientId: string;
  /** The last capture seq the page had seen before sending: the send comes after it. */
  afterSeq: number;
  /** How many bytes were sent. */
  size: number;
}

export type Outcome =
  | { kind: 'pending' }
  | { kind: 'disconnect'; seq: number; reasonCode: number }
  | { kind: 'refused'; seq: number; reasonCode: number }
  | { kind: 'closed'; reason: string | undefined }
  | { kind: 'answered'; seq: number; type: PacketType | undefined; text: string }
  | { kind: 'routed'; receivers: number };

export interface Reaction {
  /** The frame that carried the bytes (undefined until the capture shows it, or while the broker waits for the rest). */
  sent: CapturedFrame | undefined;
  /** What followed on this connection, oldest first. */
  after: CaptureEntry[];
  outcome: Outcome;
  /** Why the broker gave up, in its words (its protocol-error decision), when it did. */
  brokerReason: string | undefined;
}

/** Entries kept after the sent frame. */
export const REACTION_LIMIT = 40;

/** Index of the first entry with seq > `seq` (entries are in seq order). */
function firstAfter(entries: readonly CaptureEntry[], seq: number): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (entries[mid]!.seq <= seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function extractReaction(entries: readonly CaptureEntry[], send: LabSend): Reaction {
  const ours = (e: CaptureEntry) => (e.kind === 'frame' ? e.link === send.link : send.clientId !== '' && e.link === send.clientId);
  let i = firstAfter(entries, send.afterSeq);
  // the sent frame: the first one from this connection to the broker, preferably of the size sent
  let sent: CapturedFrame | undefined;
  let fallback: number | undefined;
  for (let k = i; k < entries.length; k++) {
    const e = entries[k]!;
    if (e.kind !== 'frame' || e.link !== send.link || e.dir !== 'to-broker') continue;
    fallback ??= k;
    if (e.size === send.size) {
      sent = e;
      i = k + 1;
      break;
    }
  }
  if (!sent && fallback !== undefined) {
    sent = entries[fallback] as CapturedFrame;
    i = fallback + 1;
  }
  const after: CaptureEntry[] = [];
  let disconnect: Outcome | undefined;
  let refused: Outcome | undefined;
  let closed = false;
  let closeReason: string | undefined;
  let brokerReason: string | undefined;
  let answered: Outcome | undefined;
  let routed: Outcome | undefined;
  // a frame that could not be sent whole (the broker waits) is not in the capture yet: nothing follows it
  if (sent) {
    for (let k = i; k < entries.length && after.length < REACTION_LIMIT; k++) {
      const e = entries[k]!;
      if (!ours(e)) continue;
      after.push(e);
      if (e.kind === 'frame') {
        if (e.dir !== 'to-client') continue;
        if (e.type === 'disconnect') disconnect ??= { kind: 'disconnect', seq: e.seq, reasonCode: e.reasonCode ?? 0 };
        else if (e.type === 'connack' && (e.reasonCode ?? 0) !== 0) refused ??= { kind: 'refused', seq: e.seq, reasonCode: e.reasonCode! };
        else answered ??= { kind: 'answered', seq: e.seq, type: e.type, text: e.text };
        continue;
      }
      const ev = e.event;
      if (ev.kind === 'protocol-error') brokerReason ??= ev.reason;
      else if (ev.kind === 'client-refused') brokerReason ??= ev.reason;
      else if (ev.kind === 'routed') routed ??= { kind: 'routed', receivers: ev.receivers };
      else if (ev.kind === 'client-disconnected') {
        closed = true;
        closeReason ??= ev.reason;
        // the connection is over: what comes next belongs to another one
        break;
      }
    }
  }
  const outcome: Outcome = disconnect ?? refused ?? (closed || brokerReason !== undefined ? { kind: 'closed', reason: brokerReason ?? closeReason } : undefined) ?? answered ?? routed ?? { kind: 'pending' };
  return { sent, after, outcome, brokerReason };
}
