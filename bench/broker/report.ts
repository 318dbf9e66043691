/**
 * The benchmark's report: medians of the repeated runs, a table with the
 * ratios of our broker to aedes and to mosquitto and whether each target is
 * met, then everything as JSON.
 */
import type { BrokerName } from './brokers';
import type { MatchingResult } from './inproc';
import type { ProfileSummary } from './profile';

/** Every run of every scenario: scenario → broker → one record per repeat. */
export type Runs = Record<string, Partial<Record<BrokerName, Record<string, number>[]>>>;

export interface InProcess {
  routedPerSec: number[];
  matching: MatchingResult[];
}

export interface Target {
  name: string;
  value: number;
  /** The target in words, e.g. ">= 4x aedes". */
  want: string;
  met: boolean;
}

export function median(xs: number[]): number {
  const s = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The median of each field over the repeats. */
export function medians(runs: Record<string, number>[] | undefined): Record<string, number> | undefined {
  if (!runs?.length) return undefined;
  return Object.fromEntries(Object.keys(runs[0]!).map((k) => [k, median(runs.map((r) => r[k]!))]));
}

/** The figure `field` of `scenario` for `broker`, median of the repeats. */
export function figure(runs: Runs, scenario: string, broker: BrokerName, field: string): number {
  return medians(runs[scenario]?.[broker])?.[field] ?? NaN;
}

export function targets(runs: Runs, inproc: InProcess | undefined): Target[] {
  const f = (s: string, b: BrokerName, k: string) => figure(runs, s, b, k);
  const out: Target[] = [];
  const ratio = (s: string, k: string, other: BrokerName, min: number, label: string) => {
    const v = f(s, 'ours', k) / f(s, other, k);
    if (!Number.isNaN(v)) out.push({ name: `${label}: ours/${other}`, value: v, want: `>= ${min}x`, met: v >= min });
  };
  ratio('fanIn', 'rate', 'aedes', 4, 'QoS 0 fan-in');
  ratio('fanIn', 'rate', 'mosquitto', 0.8, 'QoS 0 fan-in');
  ratio('fanOut', 'rate', 'aedes', 2, 'fan-out');
  ratio('fanOut', 'rate', 'mosquitto', 0.8, 'fan-out');
  for (const q of ['qos1', 'qos2']) {
    const label = q === 'qos1' ? 'QoS 1' : 'QoS 2';
    ratio(q, 'rate', 'mosquitto', 1, `${label} delivered`);
    const lost = runs[q]?.ours?.reduce((n, r) => n + r.lost! + r.duplicates!, 0);
    if (lost !== undefined) out.push({ name: `${label}: ours lost + duplicated (all runs)`, value: lost, want: '= 0', met: lost === 0 });
  }
  const mem = f('connections', 'ours', 'bytesPerConnection');
  if (!Number.isNaN(mem)) out.push({ name: 'memory per idle connection (KB)', value: mem / 1024, want: '<= 8', met: mem <= 8 * 1024 });
  if (inproc) {
    const routed = median(inproc.routedPerSec);
    out.push({ name: 'in-process routed QoS 0 (msg/s)', value: routed, want: '>= 1,000,000', met: routed >= 1_000_000 });
    const us = median(inproc.matching.map((m) => m.usPerPublish));
    out.push({ name: 'topic matching, 100k subscriptions (µs)', value: us, want: '< 5', met: us < 5 });
  }
  return out;
}

const num = (n: number, digits = 0) =>
  Number.isNaN(n) ? '-' : n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const pct = (n: number) => (Number.isNaN(n) ? '-' : `${(n * 100).toFixed(n > 0 && n < 0.001 ? 3 : 1)}%`);
const x = (n: number) => (Number.isFinite(n) ? `${n.toFixed(2)}x` : '-');

interface Row {
  label: string;
  scenario: string;
  field: string;
  show: (n: number) => string;
  /** Ratios make sense for throughput figures, not for losses or latencies. */
  ratio?: boolean;
  target?: string;
}

const ROWS: Row[] = [
  { label: 'QoS 0 fan-in, 50 -> 1 (msg/s)', scenario: 'fanIn', field: 'rate', show: num, ratio: true, target: '>= 4x aedes, >= 0.8x mosq' },
  { label: '  loss', scenario: 'fanIn', field: 'loss', show: pct },
  { label: '  broker / loadgen CPU (%)', scenario: 'fanIn', field: 'cpu', show: String },
  { label: 'fan-out, 1 -> 100 (deliveries/s)', scenario: 'fanOut', field: 'rate', show: num, ratio: true, target: '>= 2x aedes, >= 0.8x mosq' },
  { label: '  loss', scenario: 'fanOut', field: 'loss', show: pct },
  { label: '  broker / loadgen CPU (%)', scenario: 'fanOut', field: 'cpu', show: String },
  { label: 'QoS 1 end to end (msg/s)', scenario: 'qos1', field: 'rate', show: num, ratio: true, target: '>= mosq, no loss' },
  { label: '  latency p50 / p99 (ms)', scenario: 'qos1', field: 'latency', show: String },
  { label: '  lost / sent', scenario: 'qos1', field: 'lostOfSent', show: String },
  { label: '  broker / loadgen CPU (%)', scenario: 'qos1', field: 'cpu', show: String },
  { label: 'QoS 2 end to end (msg/s)', scenario: 'qos2', field: 'rate', show: num, ratio: true, target: '>= mosq, no loss' },
  { label: '  latency p50 / p99 (ms)', scenario: 'qos2', field: 'latency', show: String },
  { label: '  lost / sent', scenario: 'qos2', field: 'lostOfSent', show: String },
  { label: '  broker / loadgen CPU (%)', scenario: 'qos2', field: 'cpu', show: String },
  { label: '2,000 connections (connects/s)', scenario: 'connections', field: 'connectsPerSec', show: num, ratio: true },
  { label: 'memory per idle connection (KB)', scenario: 'connections', field: 'bytesPerConnection', show: (n) => num(n / 1024, 1), target: '<= 8 KB' },
  { label: '  of which JS heap (KB)', scenario: 'connections', field: 'heapBytesPerConnection', show: (n) => num(n / 1024, 1) },
  { label: '10,000 retained to # (ms)', scenario: 'retained', field: 'ms', show: (n) => num(n, 1) },
  { label: '  retained (msg/s)', scenario: 'retained', field: 'msgsPerSec', show: num, ratio: true },
  { label: '  delivered of 10,000', scenario: 'retained', field: 'delivered', show: num },
];

/** A cell: composite rows combine several medians. */
function cell(runs: Runs, r: Row, b: BrokerName): string {
  const m = medians(runs[r.scenario]?.[b]);
  if (!m) return '-';
  if (r.field === 'cpu') return `${num(m.brokerCpu!)} / ${num(m.loadgenCpu!)}`;
  if (r.field === 'latency') return `${num(m.p50Ms!, 2)} / ${num(m.p99Ms!, 2)}`;
  if (r.field === 'lostOfSent') return `${num(m.lost!)} / ${num(m.sent!)}`;
  return r.show(m[r.field]!);
}

export function printTable(runs: Runs, brokers: BrokerName[], inproc: InProcess | undefined): void {
  const header = ['', ...brokers, 'ours/aedes', 'ours/mosq', 'target'];
  const rows: string[][] = [];
  for (const r of ROWS) {
    if (!runs[r.scenario]) continue;
    const cells = brokers.map((b) => cell(runs, r, b));
    const ratio = (other: BrokerName) => (r.ratio && brokers.includes(other) ? x(figure(runs, r.scenario, 'ours', r.field) / figure(runs, r.scenario, other, r.field)) : '');
    rows.push([r.label, ...cells, ratio('aedes'), ratio('mosquitto'), r.target ?? '']);
  }
  if (inproc) {
    const blank = brokers.slice(1).map(() => '');
    const m = inproc.matching;
    rows.push(['in-process routed QoS 0 (msg/s)', num(median(inproc.routedPerSec)), ...blank, '', '', '>= 1,000,000']);
    rows.push(['topic matching, 100k subs (µs/publish)', num(median(m.map((r) => r.usPerPublish)), 2), ...blank, '', '', '< 5']);
    rows.push(['  cache hit (µs) / matches per topic', `${num(median(m.map((r) => r.usPerCachedPublish)), 3)} / ${num(m[0]?.matchesPerTopic ?? NaN, 1)}`, ...blank, '', '', '']);
  }
  const widths = header.map((_, i) => Math.max(header[i]!.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 || i === r.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

export function printTargets(list: Target[]): void {
  console.log('\nTargets for our broker:');
  for (const t of list) {
    const v = Math.abs(t.value) >= 1000 ? num(t.value) : t.value.toFixed(2);
    console.log(`  ${t.met ? 'met   ' : 'MISSED'}  ${t.name}: ${v} (want ${t.want})`);
  }
}

export interface Report {
  meta: Record<string, unknown>;
  medians: Record<string, Partial<Record<BrokerName, Record<string, number>>>>;
  runs: Runs;
  inProcess: (InProcess & { routedMedian: number; matchingMedianUs: number }) | undefined;
  targets: Target[];
  profiles: Record<string, ProfileSummary>;
  /** Our broker's connections scenario with the young generation pinned, when memory was diagnosed. */
  memoryDiagnosis: Record<string, number> | undefined;
}

export function buildReport(
  meta: Record<string, unknown>, runs: Runs, inproc: InProcess | undefined, list: Target[],
  profiles: Record<string, ProfileSummary>, memoryDiagnosis?: Record<string, number>,
): Report {
  const med: Report['medians'] = {};
  for (const [s, byBroker] of Object.entries(runs)) {
    med[s] = {};
    for (const [b, rs] of Object.entries(byBroker)) med[s][b as BrokerName] = medians(rs);
  }
  return {
    meta,
    medians: med,
    runs,
    inProcess: inproc && { ...inproc, routedMedian: median(inproc.routedPerSec), matchingMedianUs: median(inproc.matching.map((m) => m.usPerPublish)) },
    targets: list,
    profiles,
    memoryDiagnosis,
  };
}
