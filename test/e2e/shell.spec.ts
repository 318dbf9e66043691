import { expect, test } from '@playwright/test';

test('the built page starts the worker and shows what it reports', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${m.text()} @ ${m.location().url}`);
  });
  page.on('pageerror', (e) => errors.push(e.message));

  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'MQTT Playground' })).toBeVisible();
  await expect(page.getByTestId('worker-state')).toHaveText(/Running in a Web Worker/);

  const versions = page.getByRole('list', { name: 'Protocol versions' }).getByRole('listitem');
  await expect(versions).toHaveCount(3);
  await expect(versions.nth(0)).toContainText('MQTT 3.1');
  await expect(versions.nth(0)).toContainText('MQIsdp');
  await expect(versions.nth(1)).toContainText('MQTT 3.1.1');
  await expect(versions.nth(2)).toContainText('MQTT 5.0');
  await expect(page.getByText(/Self-check: .* \d+ bytes/)).toBeVisible();
  const broker = page.locator('dl[aria-label="Broker"]');
  await expect(broker.getByText('mqtt-playground 0.1.0')).toBeVisible();
  await expect(broker.getByText('0 (0 connected)')).toBeVisible();
  // live figures come from the worker's batches
  await page.evaluate(`(async (pg) => {
    const r = await pg.createClient({ name: 'Simple Demo', clientId: 'demo', host: 'in-page', version: 5, cleanStart: true, sessionExpiryInterval: 0, keepalive: 60, username: '', password: '', will: undefined, autoReconnect: false, reconnectPeriod: 4000 });
    if (!r.ok) throw new Error(r.error);
    await pg.connect('Simple Demo');
  })(globalThis.mqttPlayground)`);
  await expect(page.getByTestId('live-connections')).toHaveText('1 (1 connected)');

  // the status really comes from a worker: the page has a live Worker with our name
  const workers = page.workers();
  expect(workers.length).toBeGreaterThan(0);
  expect(errors).toEqual([]);
});
