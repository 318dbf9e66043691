/**
 * The connection's own controls: the form's validation and Advanced fields,
 * Edit, Duplicate, Delete, Kill the client, Pull the cable, network
 * conditions, the clock bar, and the language switch.
 */
import { expect, test, type Page } from '@playwright/test';

async function open(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByTestId('worker-state')).toBeVisible();
}

async function create(page: Page, name: string, fill?: (d: ReturnType<Page['getByRole']>) => Promise<void>): Promise<void> {
  await page.getByRole('button', { name: 'New Connection' }).click();
  const d = page.getByRole('dialog', { name: 'New Connection' });
  await d.getByLabel('Name', { exact: true }).fill(name);
  if (fill) await fill(d);
  await d.getByRole('button', { name: 'Save' }).click();
  await expect(d).toBeHidden();
}

const list = (page: Page) => page.getByRole('navigation', { name: 'Connections' });

test('wrong values are explained next to their field, nothing is silently fixed', async ({ page }) => {
  await open(page);
  await page.getByRole('button', { name: 'New Connection' }).click();
  const d = page.getByRole('dialog', { name: 'New Connection' });
  await d.getByLabel('Name', { exact: true }).fill('Bad');
  await d.getByLabel('Keep Alive').fill('70000');
  await d.getByLabel('Last-Will Topic').fill('a/+/b');
  await d.getByRole('button', { name: 'Save' }).click();
  await expect(d.getByText('Keep Alive is 0 to 65535 seconds.')).toBeVisible();
  await expect(d.getByText(/Last-Will Topic: .*wildcard/)).toBeVisible();
  await expect(d.getByLabel('Keep Alive')).toHaveValue('70000');
  await expect(d.getByLabel('Keep Alive')).toHaveAttribute('aria-invalid', 'true');
  await d.getByLabel('Keep Alive').fill('ten');
  await d.getByRole('button', { name: 'Save' }).click();
  await expect(d.getByText('Enter a whole number.')).toBeVisible();
  await d.getByRole('button', { name: 'Cancel' }).click();
  await expect(list(page).getByRole('button', { name: 'Bad' })).toHaveCount(0);
});

test('Advanced 5.0 properties reach the broker', async ({ page }) => {
  await open(page);
  await create(page, 'Props', async (d) => {
    await d.getByText('Advanced').click();
    await d.getByLabel('Receive Maximum').fill('5');
    await d.getByLabel('Topic Alias Maximum').fill('10');
    await d.getByRole('button', { name: 'Add user property' }).click();
    await d.getByLabel('Property name 1').fill('site');
    await d.getByLabel('Property value 1').fill('lab');
  });
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Disconnect', exact: true })).toBeVisible();
  const config = (await page.evaluate(`globalThis.mqttPlayground.clients().then((c) => c[0].config)`)) as { receiveMaximum: number; topicAliasMaximum: number; userProperties: [string, string][] };
  expect(config).toMatchObject({ receiveMaximum: 5, topicAliasMaximum: 10, userProperties: [['site', 'lab']] });
});

test('edit renames, duplicate copies, delete removes', async ({ page }) => {
  await open(page);
  await create(page, 'Original');
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  const d = page.getByRole('dialog', { name: 'Edit Connection' });
  await d.getByLabel('Name', { exact: true }).fill('Renamed');
  await d.getByRole('button', { name: 'Save' }).click();
  await expect(list(page).getByRole('button', { name: 'Renamed' })).toBeVisible();
  await page.getByRole('button', { name: 'Duplicate' }).click();
  await expect(list(page).getByRole('button', { name: 'Renamed (2)' })).toBeVisible();
  page.once('dialog', (dlg) => void dlg.accept());
  await page.getByRole('button', { name: 'Delete' }).click();
  await expect(list(page).getByRole('button', { name: 'Renamed (2)' })).toHaveCount(0);
  await expect(list(page).getByRole('button', { name: 'Renamed' })).toBeVisible();
});

test('kill the client publishes its will at once; pulling the cable waits for keep alive; the status dot says which', async ({ page }) => {
  await open(page);
  await page.evaluate(`(async (pg) => {
    const base = { host: 'in-page', version: 5, cleanStart: true, sessionExpiryInterval: 0, keepalive: 60, username: '', password: '', autoReconnect: false, reconnectPeriod: 4000 };
    await pg.createClient({ ...base, name: 'Watcher', clientId: 'watcher', will: undefined });
    await pg.createClient({ ...base, name: 'Doomed', clientId: 'doomed', will: { topic: 'wills/doomed', qos: 1, retain: false, payload: 'killed' } });
    await pg.connect('Watcher');
    await pg.subscribeTopic('Watcher', { topicFilter: 'wills/#', qos: 1 });
  })(globalThis.mqttPlayground)`);
  await list(page).getByRole('button', { name: 'Doomed' }).click();
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(list(page).getByRole('img', { name: 'connected' })).toHaveCount(2);
  await page.getByRole('button', { name: 'Pull the cable' }).click();
  await expect(list(page).getByRole('img', { name: 'cable pulled' })).toHaveCount(1);
  await page.getByRole('button', { name: 'Plug the cable in' }).click();
  await expect(list(page).getByRole('img', { name: 'connected' })).toHaveCount(2);
  await page.getByRole('button', { name: 'Kill the client' }).click();
  await expect(list(page).getByRole('img', { name: 'disconnected' })).toHaveCount(1);
  await list(page).getByRole('button', { name: 'Watcher' }).click();
  await expect(page.getByRole('log', { name: 'Messages' })).toContainText('killed');
});

test('network latency delays delivery by the set amount of virtual time', async ({ page }) => {
  await open(page);
  await page.evaluate(`(async (pg) => {
    const base = { host: 'in-page', version: 5, cleanStart: true, sessionExpiryInterval: 0, keepalive: 0, username: '', password: '', will: undefined, autoReconnect: false, reconnectPeriod: 4000 };
    await pg.createClient({ ...base, name: 'Slow', clientId: 'slow' });
    await pg.createClient({ ...base, name: 'Fast', clientId: 'fast' });
    await pg.connect('Slow');
    await pg.connect('Fast');
    await pg.subscribeTopic('Fast', { topicFilter: 'lag', qos: 0 });
  })(globalThis.mqttPlayground)`);
  await list(page).getByRole('button', { name: 'Slow' }).click();
  await page.getByText(/^Network:/).click();
  await page.getByLabel(/^Latency/).fill('2000');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByText(/^Network: 2000 ms/)).toBeVisible();
  // time stands still: the message stays on the wire until the clock is stepped
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.getByLabel('Topic', { exact: true }).fill('lag');
  await page.getByLabel('Payload', { exact: true }).fill('late');
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await list(page).getByRole('button', { name: 'Fast' }).click();
  await expect(page.getByRole('log', { name: 'Messages' })).not.toContainText('late');
  // the next timer may be the broker's $SYS update: step until the delivery comes
  const log = page.getByRole('log', { name: 'Messages' });
  for (let i = 0; i < 5 && !(await log.textContent())?.includes('late'); i++) {
    await page.getByRole('button', { name: 'Step to the next timer' }).click();
    await page.evaluate(`globalThis.mqttPlayground.clock()`); // a round trip: the step has been taken
  }
  await expect(log).toContainText('late');
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  await page.getByRole('group', { name: 'Clock' }).getByLabel('Speed').selectOption('100');
  await expect.poll(() => page.evaluate(`globalThis.mqttPlayground.clock().then((c) => c.speed)`)).toBe(100);
});

test('the page speaks Chinese when asked, and remembers it', async ({ page }) => {
  await open(page);
  await page.getByLabel('Language').selectOption('zh-CN');
  await expect(page.getByRole('button', { name: '新建连接' })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
  await page.reload();
  await expect(page.getByRole('button', { name: '新建连接' })).toBeVisible();
  await page.getByLabel('语言').selectOption('en');
  await expect(page.getByRole('button', { name: 'New Connection' })).toBeVisible();
});
