/** Profiles the page's main thread while 10,000 messages/s flow to the selected connection (for bench:ui misses). */
import { chromium } from '@playwright/test';
import { startPreview } from '../sim/preview';

const preview = await startPreview(!process.argv.includes('--no-build'));
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(preview.url);
  await page.getByTestId('worker-state').waitFor();
  await page.evaluate(`(async (pg) => {
    await pg.createClient({ name: 'Simple Demo', clientId: 'demo', host: 'in-page', version: 5, cleanStart: true, sessionExpiryInterval: 0, keepalive: 60, username: '', password: '', will: undefined, autoReconnect: false, reconnectPeriod: 4000 });
    await pg.connect('Simple Demo');
    await pg.subscribeTopic('Simple Demo', { topicFilter: 'sensor/+/temperature', qos: 0 });
    await pg.startSensors({ name: 'Sensor', count: 1000, topic: 'sensor/{i}/temperature', intervalMs: 100, qos: 0, retain: false, version: 4, format: 'msg' });
  })(globalThis.mqttPlayground)`);
  await page.getByRole('button', { name: 'Simple Demo' }).click();
  await page.waitForTimeout(2000);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  await page.waitForTimeout(4000);
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: { nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[]; samples: number[]; timeDeltas: number[] } };
  const self = new Map<string, number>();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  profile.samples.forEach((s, i) => {
    const n = byId.get(s)!;
    const k = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
    self.set(k, (self.get(k) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  for (const [k, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`${(t / 1000).toFixed(0).padStart(6)} ms  ${k}`);
} finally {
  await browser.close();
  preview.stop();
}
