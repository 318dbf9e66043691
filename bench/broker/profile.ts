/**
 * Reads V8 .cpuprofile files (node --cpu-prof) and sums self time per
 * function and per source file, so a run can say where a broker's time goes.
 *
 *   npx tsx bench/broker/profile.ts /tmp/prof/CPU.*.cpuprofile
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface HotSpot {
  name: string;
  /** Share of all samples, in %. */
  self: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Share of samples in which the process was idle (waiting for I/O), in %. */
  idle: number;
  functions: HotSpot[];
  files: HotSpot[];
}

function shortUrl(url: string): string {
  if (!url) return '(native)';
  const i = url.indexOf('/worker/');
  if (i >= 0) return url.slice(i + 1);
  const n = url.lastIndexOf('node_modules/');
  if (n >= 0) return url.slice(n + 'node_modules/'.length);
  return url.replace(/^file:\/\//, '').replace(/^node:/, 'node:');
}

export function summarize(path: string, top = 20): ProfileSummary {
  const p = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) selfUs.set(p.samples[i]!, (selfUs.get(p.samples[i]!) ?? 0) + (p.timeDeltas[i] ?? 0));
  let total = 0;
  let idle = 0;
  const fns = new Map<string, number>();
  const files = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const f = byId.get(id)!.callFrame;
    total += us;
    if (f.functionName === '(idle)') {
      idle += us;
      continue;
    }
    const file = shortUrl(f.url);
    const name = `${f.functionName || '(anonymous)'} ${file}${f.url ? `:${f.lineNumber + 1}` : ''}`;
    fns.set(name, (fns.get(name) ?? 0) + us);
    files.set(file, (files.get(file) ?? 0) + us);
  }
  const rank = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, us]) => ({ name, self: (us / total) * 100 }));
  return { totalMs: total / 1000, idle: (idle / total) * 100, functions: rank(fns), files: rank(files) };
}

export function printSummary(title: string, s: ProfileSummary): void {
  console.log(`\n${title}: ${(s.totalMs / 1000).toFixed(1)} s sampled, ${s.idle.toFixed(1)}% idle`);
  console.log('  self time by function:');
  for (const f of s.functions) console.log(`  ${f.self.toFixed(1).padStart(5)}%  ${f.name}`);
  console.log('  self time by file:');
  for (const f of s.files.slice(0, 12)) console.log(`  ${f.self.toFixed(1).padStart(5)}%  ${f.name}`);
}

if (process.argv[1]?.endsWith('profile.ts')) {
  for (const file of process.argv.slice(2)) printSummary(file, summarize(file));
}
