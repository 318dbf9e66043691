/**
 * Profiles the packet log's main thread while it is scrolled a screenful a
 * frame (STEP=px to choose) with a full capture, for bench:packets misses:
 * `tsx bench/packets/profile.ts [frames] [--no-build] [--trace] [--css "…"]`.
 */
import { startPreview } from '../sim/preview';
import { topFunctions, type CpuProfile } from '../profile-summary';
import { frameTimes, launchChromium, p95 } from '../page-probe';
import { fillAndStop, openWatcher, startFlood } from './setup';

const SCROLL = `const el = document.querySelector('[data-testid=packet-log]'); if (el.scrollTop <= 0) el.dataset.dir = '1'; else if (el.scrollTop + el.clientHeight >= el.scrollHeight - 1) el.dataset.dir = '-1'; el.scrollTop += Number(el.dataset.dir ?? -1) * ${process.env.STEP ? Number(process.env.STEP) : 'el.clientHeight'};`;
const frames = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 100_000);
const preview = await startPreview(!process.argv.includes('--no-build'));
const browser = await launchChromium();
try {
  const page = await openWatcher(browser, preview.url);
  await fillAndStop(page, await startFlood(page), frames);
  await page.waitForTimeout(1500);
  const follow = page.getByTestId('follow');
  if ((await follow.getAttribute('aria-pressed')) === 'true') await follow.click();
  // --css "...": a stylesheet added before the scroll, to try what a change of style would save
  const css = process.argv[process.argv.indexOf('--css') + 1];
  if (process.argv.includes('--css') && css) await page.addStyleTag({ content: css });
  await page.getByTestId('packet-log').hover();
  const still = await frameTimes(page, 1500);
  console.log(`still: p95 ${p95(still).toFixed(1)} ms, ${still.filter((t) => t > 20).length}/${still.length} over 20 ms`);
  if (process.argv.includes('--trace')) {
    // where the main thread's time goes while scrolling: style, layout, paint, script, by trace event
    await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
    await frameTimes(page, 3000, SCROLL);
    const trace = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: { name: string; ph: string; dur?: number; tid: number }[] };
    const main = trace.traceEvents.find((e) => e.name === 'UpdateLayoutTree')?.tid;
    const total = new Map<string, number>();
    for (const e of trace.traceEvents) if (e.ph === 'X' && e.tid === main && e.dur) total.set(e.name, (total.get(e.name) ?? 0) + e.dur / 1000);
    for (const [k, v] of [...total].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`${v.toFixed(0).padStart(6)} ms  ${k}`);
  }
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  const scroll = await frameTimes(page, 3000, SCROLL);
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
  console.log(`scroll: p95 ${p95(scroll).toFixed(1)} ms, ${scroll.filter((t) => t > 20).length}/${scroll.length} over 20 ms; slowest ${[...scroll].sort((a, b) => b - a).slice(0, 8).map((t) => t.toFixed(0)).join(' ')}`);
  for (const line of topFunctions(profile, 25)) console.log(line);
} finally {
  await browser.close();
  preview.stop();
}
