/**
 * npm run bench:sim — the simulation in the built page, in Debian's Chromium:
 *  1. 100 virtual clients publishing QoS 0 to one wildcard subscriber through
 *     the in-worker broker, capture on: routed messages/s (target 500,000);
 *  2. 1,000 clients each publishing once a second: the page's main thread
 *     idle at least 90% of the time;
 *  3. worker memory with 1,000 connected clients and a full 100,000-frame
 *     capture: under 300 MB.
 * Prints a table with the number of messages and seconds measured, then JSON.
 */
import { chromium, type CDPSession, type Page } from '@playwright/test';
import { inBrowser } from '../page-probe';

const quick = process.argv.includes('--quick');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function api<T>(page: Page, script: string): Promise<T> {
  return page.evaluate(`(async (pg) => { ${script} })(globalThis.mqttPlayground)`) as Promise<T>;
}

async function metric(cdp: CDPSession, name: string): Promise<number> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  return metrics.find((m) => m.name === name)?.value ?? 0;
}

/** The worker's memory (JS heap plus ArrayBuffer backing stores), through the DevTools protocol. */
async function workerHeap(browserCdp: CDPSession): Promise<{ heap: number; buffers: number }> {
  const { targetInfos } = (await browserCdp.send('Target.getTargets')) as { targetInfos: { targetId: string; type: string; title: string; url: string }[] };
  const w = targetInfos.find((t) => t.type === 'worker' && t.url.includes('playground.worker'));
  if (!w) throw new Error('the playground worker is not among the targets');
  const { sessionId } = (await browserCdp.send('Target.attachToTarget', { targetId: w.targetId, flatten: false })) as { sessionId: string };
  type Usage = { usedSize: number; totalSize: number; backingStorageSize?: number };
  const reply = new Promise<Usage>((resolve, reject) => {
    const onMessage = (e: { sessionId: string; message: string }) => {
      if (e.sessionId !== sessionId) return;
      const m = JSON.parse(e.message) as { id?: number; result?: Usage; error?: unknown };
      if (m.id !== 1) return;
      browserCdp.off('Target.receivedMessageFromTarget', onMessage);
      if (m.result) resolve(m.result);
      else reject(new Error(JSON.stringify(m.error)));
    };
    browserCdp.on('Target.receivedMessageFromTarget', onMessage);
  });
  await browserCdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: 0, method: 'HeapProfiler.collectGarbage' }) });
  await browserCdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: 1, method: 'Runtime.getHeapUsage' }) });
  const usage = await reply;
  await browserCdp.send('Target.detachFromTarget', { sessionId });
  return { heap: usage.usedSize, buffers: usage.backingStorageSize ?? 0 };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

const cfg = (name: string, clientId: string) =>
  `({ name: ${JSON.stringify(name)}, clientId: ${JSON.stringify(clientId)}, host: 'in-page', version: 4, cleanStart: true, sessionExpiryInterval: 0, keepalive: 60, username: '', password: '', will: undefined, autoReconnect: false, reconnectPeriod: 4000 })`;

await inBrowser(async (browser, url) => {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.getByTestId('worker-state').waitFor();

  // 1. throughput with capture on
  const perPublisher = quick ? 1000 : 5000;
  const runs: { published: number; received: number; seconds: number; routedPerSecond: number; captured: number }[] = [];
  for (let i = 0; i < (quick ? 2 : 4); i++) {
    const r = await api<{ ok: boolean; value: (typeof runs)[number]; error?: string }>(page, `return await pg.loadTest({ publishers: 100, topic: 'sensor/{i}/temperature', filter: 'sensor/+/temperature', qos: 0, messagesPerPublisher: ${perPublisher}, payloadBytes: 16, version: 4 })`);
    if (!r.ok) throw new Error(r.error);
    runs.push(r.value);
  }
  const measured = runs.slice(1); // the first run warms the JIT
  const routed = median(measured.map((r) => r.routedPerSecond));

  // 2. 1,000 sensors once a second, while the page takes the batches
  const fleet = await api<{ ok: boolean; value: { id: number }; error?: string }>(page, `return await pg.startSensors({ name: 'Sensor', count: 1000, topic: 'sensor/{i}/temperature', intervalMs: 1000, qos: 0, retain: false, version: 4, format: 'msg' })`);
  if (!fleet.ok) throw new Error(fleet.error);
  await api(page, `const r = await pg.createClient(${cfg('Simple Demo', 'demo')}); await pg.connect('Simple Demo'); await pg.subscribeTopic('Simple Demo', { topicFilter: 'sensor/+/temperature', qos: 0 });`);
  await page.waitForFunction(() => document.querySelector('[data-testid="live-connections"]')?.textContent === '1001 (1001 connected)', undefined, { timeout: 60_000 });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.waitForTimeout(2000); // let the fleet settle into its rhythm
  const seconds = quick ? 5 : 10;
  const busy0 = await metric(cdp, 'TaskDuration');
  const t0 = await metric(cdp, 'Timestamp');
  const published = () => api<number>(page, `return (await pg.sensorFleets())[0].published`);
  const before = await published();
  await page.waitForTimeout(seconds * 1000);
  const busy1 = await metric(cdp, 'TaskDuration');
  const t1 = await metric(cdp, 'Timestamp');
  const after = await published();
  const idle = 1 - (busy1 - busy0) / (t1 - t0);
  const fleetMessages = after - before;

  // 3. memory: the 1,000 clients stay connected; fill the capture to its 100,000 frames
  await api(page, `await pg.stopSensors(${fleet.value.id})`);
  const keep = await api<{ ok: boolean }[]>(page, `return await pg.createClients(Array.from({ length: 1000 }, (_, i) => (${cfg('Idle', 'idle').replace(/"Idle"/, '"Idle " + i').replace(/"idle"/, '"idle_" + i')})))`);
  if (!keep.every((r) => r.ok)) throw new Error('could not create the idle clients');
  await api(page, `for (let i = 0; i < 1000; i++) await pg.connect('Idle ' + i)`);
  await page.waitForFunction(() => document.querySelector('[data-testid="live-connections"]')?.textContent?.startsWith('1001 (1001 connected)'), undefined, { timeout: 60_000 });
  const fill = await api<{ ok: boolean; error?: string }>(page, `return await pg.loadTest({ publishers: 10, topic: 'fill/{i}', filter: 'fill/+', qos: 0, messagesPerPublisher: 6000, payloadBytes: 64, version: 4 })`);
  if (!fill.ok) throw new Error(fill.error);
  const captureSize = await api<number>(page, `return (await pg.captureRange(0, Number.MAX_SAFE_INTEGER)).length`);
  const browserCdp = await browser.newBrowserCDPSession();
  const mem = await workerHeap(browserCdp);
  const heap = mem.heap + mem.buffers;

  const rows: [string, string, string, string][] = [
    ['routed QoS 0 msg/s, 100 publishers -> 1 subscriber, capture on', Math.round(routed).toLocaleString('en-US'), `${measured.map((r) => r.received).join(' + ')} messages in ${measured.map((r) => r.seconds.toFixed(2)).join(' + ')} s`, `>= 500,000: ${routed >= 500_000 ? 'met' : 'NOT met'}`],
    ['main thread idle, 1,000 sensors at 1 msg/s', `${(idle * 100).toFixed(1)} %`, `${fleetMessages} messages in ${seconds} s`, `>= 90 %: ${idle >= 0.9 ? 'met' : 'NOT met'}`],
    ['worker memory, 1,000 clients + full capture', `${(heap / 1e6).toFixed(1)} MB`, `${captureSize.toLocaleString('en-US')} entries; JS heap ${(mem.heap / 1e6).toFixed(1)} MB + buffers ${(mem.buffers / 1e6).toFixed(1)} MB`, `< 300 MB: ${heap < 300e6 ? 'met' : 'NOT met'}`],
  ];
  const w = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  console.log('\nThe simulation in the built page (Chromium)\n');
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(w[i]!)).join('  '));
  console.log('\nJSON');
  console.log(JSON.stringify({ quick, routedPerSecond: Math.round(routed), runs, idle: +idle.toFixed(4), fleetMessages, seconds, workerMemoryBytes: heap, workerHeapBytes: mem.heap, workerBufferBytes: mem.buffers, captureSize, pageErrors: errors }, null, 2));
  if (errors.length) console.log(`page errors: ${errors.join('; ')}`);
}, () => chromium.launch({ executablePath: chromiumPath, args: ARGS }));
