import { describe, expect, it } from 'vitest';
import { MAX_SERIES, SeriesBuffer, alignSeries, parseChartsConfig } from '../../../../src/lib/chart-data';

const enc = new TextEncoder();
const sample = (at: number, text: string) => ({ at, payload: enc.encode(text) });

describe('parseChartsConfig', () => {
  it('gives one empty chart when nothing was saved', () => {
    for (const v of [undefined, null, 42, 'x', { charts: 'no' }, { charts: [] }]) {
      const c = parseChartsConfig(v);
      expect(c.charts).toHaveLength(1);
      expect(c.charts[0]!.series).toEqual([]);
    }
  });

  it('keeps what was saved and drops what it cannot read', () => {
    const c = parseChartsConfig({
      charts: [
        { id: 'one', series: [{ topic: 'sensor/1/temperature', field: 'msg' }, { topic: '', field: 'x' }, { topic: 'a', field: 'a..b' }, 'junk', { topic: 'b' }] },
        'junk',
        { id: 'one', series: [] },
      ],
    });
    expect(c.charts).toHaveLength(2);
    expect(c.charts[0]).toEqual({ id: 'one', series: [{ topic: 'sensor/1/temperature', field: 'msg' }, { topic: 'a', field: '' }, { topic: 'b', field: '' }] });
    expect(c.charts[1]!.id).not.toBe('one');
  });

  it('keeps at most MAX_SERIES series per chart', () => {
    const series = Array.from({ length: MAX_SERIES + 3 }, (_, i) => ({ topic: `t/${i}`, field: '' }));
    expect(parseChartsConfig({ charts: [{ id: 'a', series }] }).charts[0]!.series).toHaveLength(MAX_SERIES);
  });
});

describe('SeriesBuffer', () => {
  it('reads the field of each message into points, in seconds', () => {
    const b = new SeriesBuffer('msg');
    expect(b.add([sample(1000, '{"msg": "17.2"}'), sample(2000, '{"msg": "hot"}'), sample(3500, '{"msg": 18}')])).toBe(2);
    expect(b.xs).toEqual([1, 3.5]);
    expect(b.ys).toEqual([17.2, 18]);
    expect(b.skipped).toBe(1);
    expect(b.last).toBe(18);
  });

  it('reads the kept messages again when the field changes', () => {
    const b = new SeriesBuffer('');
    b.add([sample(1000, '{"msg": "1", "value": 10}'), sample(2000, '{"msg": "2", "value": 20}')]);
    expect(b.ys).toEqual([]);
    b.setField('value');
    expect(b.ys).toEqual([10, 20]);
    b.setField('msg');
    expect(b.ys).toEqual([1, 2]);
    expect(b.skipped).toBe(0);
  });

  it('keeps at most its limit of messages', () => {
    const b = new SeriesBuffer('', 10);
    for (let i = 0; i < 30; i++) b.add([sample(i * 1000, String(i))]);
    expect(b.samples.length).toBeLessThanOrEqual(12);
    expect(b.xs.length).toBe(b.samples.length);
    expect(b.ys.at(-1)).toBe(29);
  });

  it('clears', () => {
    const b = new SeriesBuffer('');
    b.add([sample(1, '1')]);
    b.clear();
    expect([b.samples.length, b.xs.length, b.ys.length, b.last]).toEqual([0, 0, 0, undefined]);
  });
});

describe('alignSeries', () => {
  it('merges the series on one x column, null where a series has no point', () => {
    expect(alignSeries([{ xs: [1, 2, 4], ys: [10, 20, 40] }, { xs: [2, 3], ys: [200, 300] }])).toEqual([
      [1, 2, 3, 4],
      [10, 20, null, 40],
      [null, 200, 300, null],
    ]);
  });

  it('gives several points at one time their own rows', () => {
    expect(alignSeries([{ xs: [1, 1, 2], ys: [1, 2, 3] }, { xs: [1], ys: [9] }])).toEqual([
      [1, 1, 2],
      [1, 2, 3],
      [9, null, null],
    ]);
  });

  it('handles no series and empty series', () => {
    expect(alignSeries([])).toEqual([[]]);
    expect(alignSeries([{ xs: [], ys: [] }, { xs: [5], ys: [1] }])).toEqual([[5], [null], [1]]);
  });
});
