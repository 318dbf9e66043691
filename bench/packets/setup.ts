/** What the packet-view benchmark and its profiler share: the page, a watcher of the sensors, the flood, the frame count. */
import type { Browser, Page } from '@playwright/test';
import { connectionScript } from '../page-probe';

/** 500 sensors at 10 messages/s to one subscriber: 10,000 frames/s captured (each PUBLISH in and out). */
export const SENSORS = 500;

/** The built page with "Watcher" subscribed to sensor/#, and the Packets tool open. */
export async function openWatcher(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(url);
  await page.getByTestId('worker-state').waitFor();
  await page.evaluate(`(async (pg) => {
    await pg.createClient(${connectionScript('Watcher')});
    await pg.connect('Watcher');
    await pg.subscribeTopic('Watcher', { topicFilter: 'sensor/#', qos: 0 });
  })(globalThis.mqttPlayground)`);
  await page.getByRole('tab', { name: 'Packets', exact: true }).click();
  await page.getByTestId('packet-log').waitFor();
  return page;
}

/** Starts the sensors; resolves with the fleet's id. */
export async function startFlood(page: Page): Promise<number> {
  const fleet = (await page.evaluate(
    `globalThis.mqttPlayground.startSensors({ name: 'Sensor', count: ${SENSORS}, topic: 'sensor/{i}/temperature', intervalMs: 100, qos: 0, retain: false, version: 4, format: 'msg' })`,
  )) as { ok: boolean; value: { id: number }; error?: string };
  if (!fleet.ok) throw new Error(fleet.error);
  return fleet.value.id;
}

/** Frames (not decisions) the page holds. */
export const frameCount = (page: Page): Promise<number> =>
  page.evaluate(`globalThis.__uiStore.capture.entries.reduce((n, e) => n + (e.kind === 'frame' ? 1 : 0), 0)`) as Promise<number>;

/** Waits until the page holds `frames` frames, then stops the sensors. */
export async function fillAndStop(page: Page, fleet: number, frames: number): Promise<void> {
  await page.waitForFunction(`globalThis.__uiStore.capture.entries.reduce((n, e) => n + (e.kind === 'frame' ? 1 : 0), 0) >= ${frames}`, undefined, { timeout: 180_000, polling: 1000 });
  await page.evaluate(`globalThis.mqttPlayground.stopSensors(${fleet})`);
}
