/** Profiles the page's main thread while 10,000 messages/s flow to the selected connection (for bench:ui misses). */
import { chromium } from '@playwright/test';
import { startPreview } from '../sim/preview';
import { topFunctions, type CpuProfile } from '../profile-summary';

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
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
  for (const line of topFunctions(profile)) console.log(line);
} finally {
  await browser.close();
  preview.stop();
}
