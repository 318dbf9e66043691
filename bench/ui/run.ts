/**
 * npm run bench:ui — the page itself, in Debian's Chromium:
 *  - initial JavaScript (what index.html loads, gzip level 9): target ≤ 150 KB, Monaco never in it;
 *  - time to interactive (the worker answers and New Connection can be clicked): target ≤ 1 s;
 *  - 10,000 messages/s flowing to the selected connection: main-thread frame time p95 < 20 ms;
 *  - the message list scrolled with 100,000 messages in it: frame time p95 < 20 ms.
 * Prints a table, then JSON.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { connectionScript, frameTimes, inBrowser, p95, printTable } from '../page-probe';

const quick = process.argv.includes('--quick');

function initialJs(): { files: string[]; gzipBytes: number; monaco: boolean } {
  const dist = join(process.cwd(), 'dist');
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  let gzipBytes = 0;
  let monaco = false;
  for (const f of files) {
    const code = readFileSync(join(dist, f));
    gzipBytes += gzipSync(code, { level: 9 }).length;
    if (/monaco|editor\.api/i.test(f) || code.includes('monaco-editor')) monaco = true;
  }
  return { files, gzipBytes, monaco };
}

await inBrowser(async (browser, url) => {
  // after the build
  const js = initialJs();
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const t0 = Date.now();
  await page.goto(url);
  await page.getByTestId('worker-state').waitFor();
  await page.getByRole('button', { name: 'New Connection' }).waitFor({ state: 'visible' });
  const interactiveMs = Date.now() - t0;

  // a subscriber shown in the middle column, fed by 1,000 sensors at 10 messages/s each
  await page.evaluate(`(async (pg) => {
    await pg.createClient(${connectionScript('Simple Demo')});
    await pg.connect('Simple Demo');
    await pg.subscribeTopic('Simple Demo', { topicFilter: 'sensor/+/temperature', qos: 0 });
  })(globalThis.mqttPlayground)`);
  await page.getByRole('button', { name: 'Simple Demo' }).click();
  const fleet = (await page.evaluate(`globalThis.mqttPlayground.startSensors({ name: 'Sensor', count: 1000, topic: 'sensor/{i}/temperature', intervalMs: 100, qos: 0, retain: false, version: 4, format: 'msg' })`)) as { ok: boolean; value: { id: number }; error?: string };
  if (!fleet.ok) throw new Error(fleet.error);
  await page.waitForTimeout(2000);
  const flowing = await frameTimes(page, quick ? 3000 : 8000);
  const published0 = (await page.evaluate(`globalThis.mqttPlayground.sensorFleets()`)) as { published: number }[];
  // let the list fill to 100,000 messages, then stop and scroll it
  const target = quick ? 30_000 : 100_000;
  await page.waitForFunction(`(globalThis.__uiStore?.messages.list('Simple Demo').length ?? 0) >= ${target}`, undefined, { timeout: 180_000, polling: 1000 });
  await page.evaluate(`globalThis.mqttPlayground.stopSensors(${fleet.value.id})`);
  const count = (await page.evaluate(`globalThis.__uiStore?.messages.list('Simple Demo').length ?? -1`)) as number;
  const list = page.getByRole('log').first();
  await list.hover();
  const scroll = await frameTimes(page, quick ? 2000 : 4000, `const el = document.querySelector('[role=log]'); if (el) el.scrollTop = Math.max(0, el.scrollTop - 900);`);

  const rows = [
    ['initial JavaScript (gzip)', `${(js.gzipBytes / 1024).toFixed(1)} KB in ${js.files.length} file(s)${js.monaco ? ', MONACO INCLUDED' : ''}`, `≤ 150 KB: ${js.gzipBytes <= 150 * 1024 && !js.monaco ? 'met' : 'NOT met'}`],
    ['interactive after load', `${interactiveMs} ms`, `≤ 1000 ms: ${interactiveMs <= 1000 ? 'met' : 'NOT met'}`],
    ['frame time p95, 10,000 msg/s flowing', `${p95(flowing).toFixed(1)} ms over ${flowing.length} frames (${published0[0]?.published ?? 0} published)`, `< 20 ms: ${p95(flowing) < 20 ? 'met' : 'NOT met'}`],
    [`frame time p95, scrolling ${count.toLocaleString('en-US')} messages`, `${p95(scroll).toFixed(1)} ms over ${scroll.length} frames`, `< 20 ms: ${p95(scroll) < 20 ? 'met' : 'NOT met'}`],
  ];
  printTable('The page (Chromium)', rows);
  console.log('\nJSON');
  console.log(JSON.stringify({ quick, initialJs: js, interactiveMs, flowingP95: p95(flowing), flowingFrames: flowing.length, scrollP95: p95(scroll), scrollFrames: scroll.length, messagesInList: count }, null, 2));
});
