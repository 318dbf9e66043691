import { describe, expect, it } from 'vitest';
import type { CaptureEntry, CapturedFrame } from '../../../../../worker/api';
import type { BrokerEvent } from '../../../../../worker/broker';
import { extractReaction, REACTION_LIMIT, type LabSend } from '../../../../../src/lib/lab/reaction';

function frame(seq: number, link: string, dir: CapturedFrame['dir'], type: CapturedFrame['type'], extra: Partial<CapturedFrame> = {}): CapturedFrame {
  return {
    kind: 'frame', seq, link, dir, sentAt: seq, wallAt: seq, arrivedAt: seq, lost: undefined, size: 10, version: 5, type,
    text: `${type?.toUpperCase()}`, error: undefined, topic: undefined, qos: undefined, packetId: undefined, reasonCode: undefined, retain: undefined, dup: undefined, ...extra,
  };
}

function event(seq: number, e: BrokerEvent): CaptureEntry {
  const link = 'clientId' in e ? e.clientId : e.kind === 'routed' ? e.from : '';
  return { kind: 'event', seq, at: seq, wallAt: seq, link, text: e.kind, event: e };
}

const send: LabSend = { link: 'Lab', clientId: 'lab-id', afterSeq: 10, size: 12 };

describe('extractReaction', () => {
  it('finds the DISCONNECT and the broker\'s reason after the sent frame, ignoring other connections', () => {
    const entries: CaptureEntry[] = [
      frame(9, 'Lab', 'to-broker', 'pingreq', { size: 12 }),
      frame(11, 'Other', 'to-broker', 'publish', { size: 12 }),
      frame(12, 'Lab', 'to-broker', 'publish', { size: 12, error: 'QoS 3', reasonCode: 0x81 }),
      event(13, { kind: 'routed', from: 'other-id', topic: 't', qos: 0, retain: false, receivers: 1 }),
      event(14, { kind: 'protocol-error', clientId: 'lab-id', reasonCode: 0x81, reason: 'QoS 3 does not exist' }),
      frame(15, 'Lab', 'to-client', 'disconnect', { reasonCode: 0x81 }),
      event(16, { kind: 'client-disconnected', clientId: 'lab-id', reason: 'QoS 3 does not exist', graceful: false }),
      frame(17, 'Lab', 'to-broker', 'connect'),
    ];
    const r = extractReaction(entries, send);
    expect(r.sent?.seq).toBe(12);
    expect(r.after.map((e) => e.seq)).toEqual([14, 15, 16]);
    expect(r.outcome).toEqual({ kind: 'disconnect', seq: 15, reasonCode: 0x81 });
    expect(r.brokerReason).toBe('QoS 3 does not exist');
  });

  it('says the connection was closed without a word (3.1.1)', () => {
    const entries: CaptureEntry[] = [
      frame(11, 'Lab', 'to-broker', 'publish', { size: 12, version: 4 }),
      event(12, { kind: 'protocol-error', clientId: 'lab-id', reasonCode: 0x81, reason: 'Topic Name is not well-formed UTF-8' }),
      event(13, { kind: 'client-disconnected', clientId: 'lab-id', reason: 'Topic Name is not well-formed UTF-8', graceful: false }),
    ];
    expect(extractReaction(entries, send).outcome).toEqual({ kind: 'closed', reason: 'Topic Name is not well-formed UTF-8' });
  });

  it('reports a refused CONNACK', () => {
    const entries: CaptureEntry[] = [frame(11, 'Lab', 'to-broker', 'connect', { size: 12 }), frame(12, 'Lab', 'to-client', 'connack', { reasonCode: 0x84 })];
    expect(extractReaction(entries, send).outcome).toEqual({ kind: 'refused', seq: 12, reasonCode: 0x84 });
  });

  it('reports a reply, or a routed message', () => {
    const replied: CaptureEntry[] = [
      frame(11, 'Lab', 'to-broker', 'publish', { size: 12 }),
      event(12, { kind: 'routed', from: 'lab-id', topic: 'lab/hello', qos: 1, retain: false, receivers: 1 }),
      frame(13, 'Lab', 'to-client', 'puback', { text: 'PUBACK id=4242' }),
    ];
    expect(extractReaction(replied, send).outcome).toEqual({ kind: 'answered', seq: 13, type: 'puback', text: 'PUBACK id=4242' });
    expect(extractReaction(replied.slice(0, 2), send).outcome).toEqual({ kind: 'routed', receivers: 1 });
  });

  it('is pending until the capture shows something, and prefers the frame of the size sent', () => {
    expect(extractReaction([], send)).toEqual({ sent: undefined, after: [], outcome: { kind: 'pending' }, brokerReason: undefined });
    const entries: CaptureEntry[] = [frame(11, 'Lab', 'to-broker', 'pingreq', { size: 2 }), frame(12, 'Lab', 'to-broker', 'publish', { size: 12 })];
    const r = extractReaction(entries, send);
    expect(r.sent?.seq).toBe(12);
    expect(r.outcome).toEqual({ kind: 'pending' });
    // cut differently by the capture (no frame of that size): the first one sent after
    expect(extractReaction(entries, { ...send, size: 99 }).sent?.seq).toBe(11);
  });

  it('keeps at most REACTION_LIMIT entries', () => {
    const entries: CaptureEntry[] = [frame(11, 'Lab', 'to-broker', 'publish', { size: 12 })];
    for (let i = 0; i < 100; i++) entries.push(frame(12 + i, 'Lab', 'to-client', 'publish'));
    expect(extractReaction(entries, send).after).toHaveLength(REACTION_LIMIT);
  });
});
