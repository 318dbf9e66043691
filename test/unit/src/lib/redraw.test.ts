import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { REDRAW_MS, redrawSoon } from '../../../../src/lib/redraw';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('redrawSoon', () => {
  it('bumps once, REDRAW_MS after the first of many calls, then again for later calls', () => {
    const bump = vi.fn();
    const soon = redrawSoon(bump);
    soon();
    vi.advanceTimersByTime(REDRAW_MS - 1);
    soon();
    soon();
    expect(bump).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(bump).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(REDRAW_MS * 5);
    expect(bump).toHaveBeenCalledTimes(1);
    soon();
    vi.advanceTimersByTime(REDRAW_MS);
    expect(bump).toHaveBeenCalledTimes(2);
  });
});
