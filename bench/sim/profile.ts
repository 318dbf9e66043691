/**
 * Profiles the worker during one load test in Chromium (DevTools protocol),
 * printing the functions that take the most time: for finding what to
 * speed up, when bench:sim misses its target.
 */
import { chromium, type CDPSession } from '@playwright/test';
import { startPreview } from './preview';
import { topFunctions, type CpuProfile } from '../profile-summary';

async function send(cdp: CDPSession, sessionId: string, id: number, method: string, params: object = {}): Promise<unknown> {
  const reply = new Promise<unknown>((resolve, reject) => {
    const on = (e: { sessionId: string; message: string }) => {
      if (e.sessionId !== sessionId) return;
      const m = JSON.parse(e.message) as { id?: number; result?: unknown; error?: unknown };
      if (m.id !== id) return;
      cdp.off('Target.receivedMessageFromTarget', on);
      if (m.error) reject(new Error(JSON.stringify(m.error)));
      else resolve(m.result);
    };
    cdp.on('Target.receivedMessageFromTarget', on);
  });
  await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) });
  return reply;
}

const preview = await startPreview(!process.argv.includes('--no-build'));
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage();
  await page.goto(preview.url);
  await page.getByTestId('worker-state').waitFor();
  const run = () => page.evaluate(`globalThis.mqttPlayground.loadTest({ publishers: 100, topic: 'sensor/{i}/temperature', filter: 'sensor/+/temperature', qos: 0, messagesPerPublisher: 5000, payloadBytes: 16, version: 4 })`);
  await run();
  const cdp = await browser.newBrowserCDPSession();
  const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: { targetId: string; type: string; url: string }[] };
  const w = targetInfos.find((t) => t.type === 'worker' && t.url.includes('playground.worker'))!;
  const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId: w.targetId, flatten: false })) as { sessionId: string };
  await send(cdp, sessionId, 1, 'Profiler.enable');
  await send(cdp, sessionId, 2, 'Profiler.setSamplingInterval', { interval: 200 });
  await send(cdp, sessionId, 3, 'Profiler.start');
  console.log(await run());
  const { profile } = (await send(cdp, sessionId, 4, 'Profiler.stop')) as { profile: CpuProfile };
  for (const line of topFunctions(profile)) console.log(line);
} finally {
  await browser.close();
  preview.stop();
}
