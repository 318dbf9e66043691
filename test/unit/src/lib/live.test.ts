import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CaptureEntry, ClientView, MessageRecord, PlaygroundBatch } from '../../../../worker/api';
import { Live } from '../../../../src/lib/live.svelte';

const frame = (seq: number) => ({ kind: 'frame', seq }) as CaptureEntry;
const event = (seq: number) => ({ kind: 'event', seq }) as CaptureEntry;
const received = { direction: 'received' } as MessageRecord;
const sent = { direction: 'sent' } as MessageRecord;

function batch(o: Partial<PlaygroundBatch> = {}): PlaygroundBatch {
  return { capture: undefined, clients: [], removed: [], messages: [], acks: [], clock: { now: 0, playing: true, speed: 1 } as PlaygroundBatch['clock'], brokerChanged: false, ...o };
}

beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] }));
afterEach(() => vi.useRealTimers());

describe('Live', () => {
  it('counts connections by their latest status, and forgets removed ones', () => {
    const live = new Live();
    const view = (name: string, status: ClientView['status']) => ({ name, status }) as ClientView;
    live.ingest(batch({ clients: [view('a', 'connected'), view('b', 'connecting')] }));
    expect([live.connections, live.connected]).toEqual([2, 1]);
    live.ingest(batch({ clients: [view('b', 'connected')], removed: ['a'] }));
    expect([live.connections, live.connected]).toEqual([1, 1]);
  });

  it('shows the frames captured (skipped ones too) at most four times a second, and the last count in the end', () => {
    const live = new Live();
    live.ingest(batch({ capture: { entries: [frame(1), event(2), frame(3)], updates: [], skipped: 0 } }));
    expect(live.framesCaptured).toBe(2);
    live.ingest(batch({ capture: { entries: [frame(4)], updates: [], skipped: 5 } }));
    // within 250 ms of the last figure shown: held back
    expect(live.framesCaptured).toBe(2);
    vi.advanceTimersByTime(249);
    expect(live.framesCaptured).toBe(2);
    vi.advanceTimersByTime(1);
    expect(live.framesCaptured).toBe(8);
  });

  it('reports received messages per second over windows of a second', () => {
    const live = new Live();
    live.ingest(batch({ messages: [received, received, sent] }));
    expect(live.messagesPerSecond).toBe(0);
    vi.advanceTimersByTime(1000);
    live.ingest(batch({ messages: [received] }));
    expect(live.messagesPerSecond).toBe(3);
  });
});
