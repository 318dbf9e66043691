import { describe, expect, it } from 'vitest';
import { countdown, expiryKind, extrapolate, formatDuration, formatTimeOfDay, NEVER_EXPIRES } from '../../../../../src/lib/broker/time-format';

describe('formatDuration', () => {
  it.each([
    [0, '0:00'],
    [999, '0:00'],
    [5_000, '0:05'],
    [59_999, '0:59'],
    [60_000, '1:00'],
    [119_400, '1:59'],
    [3_600_000, '1:00:00'],
    [3_723_000, '1:02:03'],
    [86_400_000, '1d 00:00:00'],
    [183_845_000, '2d 03:04:05'],
    [-5_000, '0:00'],
  ])('%d ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('countdown', () => {
  it('rounds up to whole seconds, so the last second shows 0:01', () => {
    expect(countdown(10_000, 0)).toEqual({ text: '0:10', due: false });
    expect(countdown(10_000, 1)).toEqual({ text: '0:10', due: false });
    expect(countdown(10_000, 9_001)).toEqual({ text: '0:01', due: false });
  });

  it('is due once the moment has passed (the broker may not have run its timer yet)', () => {
    expect(countdown(10_000, 10_000)).toEqual({ text: '0:00', due: true });
    expect(countdown(10_000, 25_000)).toEqual({ text: '0:00', due: true });
  });

  it('counts a two-hour session expiry', () => {
    expect(countdown(7_200_000, 0).text).toBe('2:00:00');
    expect(countdown(7_200_000, 1_000).text).toBe('1:59:59');
  });
});

describe('expiryKind', () => {
  it('tells clean sessions, sessions that never expire and the rest apart', () => {
    expect(expiryKind(0)).toEqual({ kind: 'clean' });
    expect(expiryKind(NEVER_EXPIRES)).toEqual({ kind: 'never' });
    expect(expiryKind(120)).toEqual({ kind: 'seconds', seconds: 120, text: '2:00' });
  });
});

describe('extrapolate', () => {
  it('moves with real time times the speed while playing', () => {
    expect(extrapolate({ now: 1000, playing: true, speed: 10 }, 50, 150)).toBe(2000);
  });

  it('stands still while paused', () => {
    expect(extrapolate({ now: 1000, playing: false, speed: 10 }, 50, 150)).toBe(1000);
  });

  it('never goes back when the real clock reads earlier than the batch', () => {
    expect(extrapolate({ now: 1000, playing: true, speed: 1 }, 200, 150)).toBe(1000);
  });
});

describe('formatTimeOfDay', () => {
  it('shows local hours, minutes, seconds and milliseconds', () => {
    const at = new Date(2024, 0, 2, 3, 4, 5, 67).getTime();
    expect(formatTimeOfDay(at)).toBe('03:04:05.067');
  });
});
