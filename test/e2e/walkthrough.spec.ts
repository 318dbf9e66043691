/**
 * The tutorial that started the project (MQTTX's web client against a public
 * broker), followed word for word against the in-page broker: only the
 * visible words of the page are used.
 */
import { expect, test, type Page } from '@playwright/test';
import { subscribe } from './support/subscribe';

interface ConnectionOptions {
  version?: '3.1' | '3.1.1' | '5.0';
  clean?: boolean;
  keepAlive?: number;
  will?: { topic: string; qos: '0' | '1' | '2'; retain: boolean; payload: string };
}

async function newConnection(page: Page, name: string, o: ConnectionOptions = {}): Promise<void> {
  await page.getByRole('button', { name: 'New Connection' }).click();
  const dialog = page.getByRole('dialog', { name: 'New Connection' });
  await dialog.getByLabel('Name', { exact: true }).fill(name);
  if (o.version) await dialog.getByLabel('MQTT Version').selectOption({ label: o.version });
  if (o.clean === false) await dialog.getByLabel(o.version === '5.0' ? 'Clean Start' : 'Clean Session').uncheck();
  if (o.keepAlive !== undefined) await dialog.getByLabel('Keep Alive').fill(String(o.keepAlive));
  if (o.will) {
    await dialog.getByLabel('Last-Will Topic').fill(o.will.topic);
    await dialog.getByLabel('Last-Will QoS').selectOption(o.will.qos);
    if (o.will.retain) await dialog.getByLabel('Last-Will Retain').check();
    await dialog.getByLabel('Last-Will Payload').fill(o.will.payload);
  }
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Disconnect', exact: true })).toBeVisible();
}

async function select(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Connections' }).getByRole('button', { name }).click();
  await expect(page.getByRole('heading', { level: 2, name })).toBeVisible();
}

async function publish(page: Page, topic: string, payload: string, o: { qos?: '0' | '1' | '2'; retain?: boolean } = {}): Promise<void> {
  await page.getByLabel('Topic', { exact: true }).fill(topic);
  await page.getByLabel('QoS', { exact: true }).selectOption(o.qos ?? '0');
  await page.getByLabel('Retain', { exact: true }).setChecked(o.retain ?? false);
  await page.getByLabel('Payload', { exact: true }).fill(payload);
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
}

const messages = (page: Page) => page.getByRole('log', { name: 'Messages' });

test('the tutorial walkthrough, word for word', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto('/');
  await expect(page.getByTestId('worker-state')).toHaveText(/Running in a Web Worker/);

  // wildcard subscription: two sensors, one subscriber
  await newConnection(page, 'Simple Demo');
  await subscribe(page, 'sensor/+/temperature');
  await newConnection(page, 'Sensor 1');
  await publish(page, 'sensor/1/temperature', '{"msg": "17.2"}');
  await newConnection(page, 'Sensor 2');
  await publish(page, 'sensor/2/temperature', '{"msg": "18.2"}');
  await select(page, 'Simple Demo');
  await expect(messages(page)).toContainText('sensor/1/temperature');
  await expect(messages(page)).toContainText('"msg": "17.2"');
  await expect(messages(page)).toContainText('sensor/2/temperature');
  await expect(messages(page)).toContainText('"msg": "18.2"');

  // retained: a new subscription gets only the last
  await select(page, 'Sensor 1');
  await publish(page, 'retained_message', 'first retained', { retain: true });
  await publish(page, 'retained_message', 'second retained', { retain: true });
  await select(page, 'Sensor 2');
  await subscribe(page, 'retained_message');
  await expect(messages(page)).toContainText('second retained');
  await expect(messages(page)).not.toContainText('first retained');

  // a persistent session in 3.1.1
  await newConnection(page, 'MQTT V3', { version: '3.1.1', clean: false });
  await subscribe(page, 'clean_session_false', '1');
  await page.getByRole('button', { name: 'Disconnect', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Connect', exact: true })).toBeVisible();
  await newConnection(page, 'MQTT_V3_Publish', { version: '3.1.1' });
  for (const n of ['one', 'two', 'three']) await publish(page, 'clean_session_false', `message ${n}`, { qos: '1' });
  await select(page, 'MQTT V3');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  for (const n of ['one', 'two', 'three']) await expect(messages(page)).toContainText(`message ${n}`);

  // the last will, after the keep-alive timeout of a pulled cable (time sped up x10)
  await newConnection(page, 'Last Will', { keepAlive: 5, will: { topic: 'last_will', qos: '1', retain: true, payload: 'offline' } });
  await page.getByRole('button', { name: 'Pull the cable' }).click();
  await page.getByRole('group', { name: 'Clock' }).getByLabel('Speed').selectOption('10');
  await select(page, 'Simple Demo');
  await subscribe(page, 'last_will', '1');
  await expect(messages(page)).toContainText('offline', { timeout: 10_000 });
  expect(errors).toEqual([]);
});
