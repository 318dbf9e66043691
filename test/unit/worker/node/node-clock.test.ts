import { describe, expect, it } from 'vitest';
import { NodeClock } from '../../../../worker/node/node-clock';

describe('NodeClock', () => {
  it('fires timers that do not hold the process open, and clears them', async () => {
    const clock = new NodeClock();
    const fired: string[] = [];
    const kept = clock.setTimeout(() => fired.push('kept'), 5);
    const cleared = clock.setTimeout(() => fired.push('cleared'), 5);
    expect((kept as unknown as NodeJS.Timeout).hasRef()).toBe(false);
    clock.clearTimeout(cleared);
    await new Promise((r) => setTimeout(r, 30));
    expect(fired).toEqual(['kept']);
  });
});
