import { expect, test, type Page } from '@playwright/test';
import { api } from './support/page-api';
import { subscribe } from './support/subscribe';

const CFG = `const cfg = (name, version = 5) => ({ name, clientId: name.replace(/ /g, '_').toLowerCase(), host: 'in-page', version, cleanStart: true, sessionExpiryInterval: 0, keepalive: 60, username: '', password: '', will: undefined, autoReconnect: false, reconnectPeriod: 4000 });`;

/** Creates connections through the API, connected. */
async function connections(page: Page, names: string[], version = 5): Promise<void> {
  await api(page, `${CFG}
    for (const n of ${JSON.stringify(names)}) { const r = await pg.createClient(cfg(n, ${version})); if (!r.ok) throw new Error(r.error); await pg.connect(n); }`);
  await expect.poll(() => api(page, `return (await pg.clients()).filter((c) => ${JSON.stringify(names)}.includes(c.name)).every((c) => c.status === 'connected')`)).toBe(true);
}

async function publish(page: Page, from: string, topic: string, payload: string, extra = ''): Promise<void> {
  await api(page, `const r = await pg.publish(${JSON.stringify(from)}, { topic: ${JSON.stringify(topic)}, payload: new TextEncoder().encode(${JSON.stringify(payload)}), qos: 1, retain: false ${extra} }); if (!r.ok) throw new Error(r.error);`);
}

async function start(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByTestId('worker-state')).toHaveText(/Running in a Web Worker/);
  // every test starts from an empty workspace
  await api(page, `for (const c of await pg.clients()) await pg.deleteClient(c.name);`);
}

function select(page: Page, name: string) {
  return page.getByRole('navigation').getByRole('listitem').filter({ has: page.getByText(name, { exact: true }) }).getByRole('button').click();
}

test('New Subscription with wildcards, then a message from another connection shows with the subscription it matched', async ({ page }) => {
  await start(page);
  await page.getByRole('button', { name: 'New Connection' }).click();
  const form = page.getByRole('dialog', { name: 'New Connection' });
  await form.getByLabel('Name', { exact: true }).fill('Sensor Watcher');
  await form.getByLabel('Client ID').fill('watcher');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form).toBeHidden();
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Disconnect', exact: true })).toBeVisible();

  await page.getByRole('button', { name: 'New Subscription' }).click();
  const dialog = page.getByRole('dialog', { name: 'New Subscription' });
  await dialog.getByLabel('Topic').fill('sensor/+/temperature');
  await dialog.getByLabel('QoS').selectOption('1');
  await expect(dialog.getByLabel('No Local')).not.toBeChecked();
  await expect(dialog.getByLabel('Retain Handling')).toHaveValue('0');
  await dialog.getByLabel('Subscription Identifier').fill('7');
  await dialog.getByRole('button', { name: 'Subscribe' }).click();
  await expect(dialog).toBeHidden();

  const subs = page.getByRole('list', { name: 'Subscriptions' });
  await expect(subs.getByRole('listitem')).toHaveCount(1);
  await expect(subs.getByRole('listitem')).toContainText('sensor/+/temperature');
  await expect(subs.getByRole('listitem')).toContainText('Identifier 7');
  await expect(subs.getByRole('listitem')).not.toContainText('waiting for SUBACK');
  await expect.poll(() => api(page, `return (await pg.clients()).find((c) => c.name === 'Sensor Watcher').subscriptions.map((s) => s.state + ' ' + s.qos + ' ' + s.identifier)`)).toEqual(['active 1 7']);

  await connections(page, ['Sensor 1']);
  await publish(page, 'Sensor 1', 'sensor/1/humidity', '40');
  await publish(page, 'Sensor 1', 'sensor/1/temperature', '{"value":21.5}', `, properties: { userProperties: [['unit', 'C']], contentType: 'application/json' }`);

  const log = page.getByRole('log', { name: 'Messages' });
  const item = log.getByRole('listitem').filter({ hasText: 'sensor/1/temperature' });
  await expect(item).toHaveCount(1);
  await expect(item).toContainText('"value": 21.5');
  await expect(item).toContainText('QoS 1');
  await expect(item).toContainText('unit: C');
  await expect(item).toContainText('application/json');
  await expect(item).toContainText('Matched subscription: sensor/+/temperature');
  await expect(item).toContainText(/Subscription Identifier\s*7/);
  await expect(log).not.toContainText('sensor/1/humidity');
  await expect(page.getByText('1 messages')).toBeVisible();

  // the sender's own view: its message on the right, as sent
  await select(page, 'Sensor 1');
  const sent = page.getByRole('log', { name: 'Messages' }).getByRole('listitem');
  await expect(sent).toHaveCount(2);
  await expect(sent.last()).toContainText('Sent: sensor/1/temperature');
});

test('filter by topic and text, All / Received / Published, Clear, and Unsubscribe', async ({ page }) => {
  await start(page);
  await connections(page, ['Watcher', 'Pub']);
  await api(page, `await pg.subscribeTopic('Watcher', { topicFilter: '#', qos: 1, color: '#10b981' }); await pg.subscribeTopic('Watcher', { topicFilter: 'a/#', qos: 0 });`);
  await expect.poll(() => api(page, `return (await pg.clients()).find((c) => c.name === 'Watcher').subscriptions.every((s) => s.state === 'active')`)).toBe(true);
  await publish(page, 'Pub', 'a/1', 'warm');
  await publish(page, 'Pub', 'b/1', 'cold');
  await publish(page, 'Pub', 'a/2', 'COLD front');
  await api(page, `await pg.publish('Watcher', { topic: 'c/1', payload: new TextEncoder().encode('from me'), qos: 0, retain: false })`);
  await select(page, 'Watcher');

  const log = page.getByRole('log', { name: 'Messages' });
  const rows = log.getByRole('listitem');
  // Watcher hears its own c/1 too (subscribed to #): 3 + 1 sent + 1 received
  await expect(rows).toHaveCount(5);

  const filter = page.getByLabel('Filter', { exact: true });
  await filter.fill('a/+');
  await expect(rows).toHaveCount(2);
  await expect(page.getByText('2 of 5 messages')).toBeVisible();
  await filter.fill('b');
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText('b/1');

  await filter.fill('a/#/b');
  await expect(page.getByText(/Not applied: "#" must be the last level/)).toBeVisible();
  await expect(filter).toHaveAttribute('aria-invalid', 'true');
  await expect(rows).toHaveCount(5);
  await filter.fill('');

  await page.getByLabel('Search', { exact: true }).fill('cold');
  await expect(rows).toHaveCount(2);
  await page.getByLabel('Search', { exact: true }).fill('');

  await page.getByRole('radio', { name: 'Published' }).check();
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText('from me');
  await page.getByRole('radio', { name: 'Received' }).check();
  await expect(rows).toHaveCount(4);
  await page.getByRole('radio', { name: 'All' }).check();
  await expect(rows).toHaveCount(5);

  // pressing a subscription shows only what it matches (MQTTX)
  const subs = page.getByRole('list', { name: 'Subscriptions' });
  await subs.getByRole('button', { name: /^a\/#/ }).click();
  await expect(rows).toHaveCount(2);
  await expect(filter).toHaveValue('a/#');
  await subs.getByRole('button', { name: /^a\/#/ }).click();
  await expect(rows).toHaveCount(5);

  // the matched subscriptions of a/1: both, each with its colour
  await expect(rows.filter({ hasText: 'warm' })).toContainText('Matched subscription: #');
  await expect(rows.filter({ hasText: 'warm' })).toContainText('Matched subscription: a/#');

  await page.getByRole('button', { name: 'Clear', exact: true }).click();
  await expect(log).toContainText('No messages yet.');
  expect(await api(page, `return (await pg.messages('Watcher')).length`)).toBe(0);

  await subs.getByRole('button', { name: 'Unsubscribe a/#' }).click();
  await expect(subs.getByRole('listitem')).toHaveCount(1);
  await expect.poll(() => api(page, `return (await pg.clients()).find((c) => c.name === 'Watcher').subscriptions.map((s) => s.topicFilter)`)).toEqual(['#']);
  await publish(page, 'Pub', 'a/3', 'after');
  await expect(rows).toHaveCount(1);
  await expect(rows).not.toContainText('Matched subscription: a/#');
});

test('invalid values in New Subscription get a message next to their field', async ({ page }) => {
  await start(page);
  await connections(page, ['Offline']);
  await api(page, `await pg.disconnect('Offline')`);
  await select(page, 'Offline');
  await page.getByRole('button', { name: 'New Subscription' }).click();
  const dialog = page.getByRole('dialog', { name: 'New Subscription' });
  const topic = dialog.getByLabel('Topic');
  await topic.fill('a/#/b');
  await expect(topic).toHaveAccessibleDescription(/Not a valid topic filter: "#" must be the last level/);
  await dialog.getByLabel('Subscription Identifier').fill('0');
  await expect(dialog.getByText('A Subscription Identifier is from 1 to 268435455.')).toBeVisible();
  await dialog.getByRole('button', { name: 'Subscribe' }).click();
  await expect(dialog).toBeVisible();
  await expect(topic).toBeFocused();
  await expect(topic).toHaveValue('a/#/b');

  // fixed: subscribing while disconnected waits for the connection
  await topic.fill('a/+/b');
  await dialog.getByLabel('Subscription Identifier').fill('268435455');
  await dialog.getByLabel('Retain Handling').selectOption('2');
  await dialog.getByLabel('No Local').check();
  await dialog.getByRole('button', { name: 'Subscribe' }).click();
  await expect(dialog).toBeHidden();
  const item = page.getByRole('list', { name: 'Subscriptions' }).getByRole('listitem');
  await expect(item).toContainText('sent on connect');
  await expect(item).toContainText('No Local');
  await expect(item).toContainText('Retain Handling 2');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(item).not.toContainText('sent on connect');
  expect(await api(page, `return (await pg.clients())[0].subscriptions.map((s) => [s.state, s.noLocal, s.retainHandling, s.identifier])`)).toEqual([['active', true, 2, 268435455]]);
});

test('a refused subscription, a lower granted QoS and a refused publication show their reason codes', async ({ page }) => {
  await start(page);
  await api(page, `const r = await pg.configureBroker({ maximumQoS: 1, acl: [{ permission: 'deny', action: 'subscribe', topic: 'secret/#' }, { permission: 'deny', action: 'publish', topic: 'forbidden/#' }] }); if (!r.ok) throw new Error(r.error);`);
  await connections(page, ['Learner']);
  await select(page, 'Learner');
  for (const [topic, qos] of [['secret/#', '0'], ['ok/#', '2']] as const) await subscribe(page, topic, qos);
  const items = page.getByRole('list', { name: 'Subscriptions' }).getByRole('listitem');
  await expect(items.filter({ hasText: 'secret/#' })).toContainText('refused: 0x87 Not authorized');
  await expect(items.filter({ hasText: 'ok/#' })).toContainText('granted QoS 1');

  await api(page, `await pg.publish('Learner', { topic: 'forbidden/x', payload: new TextEncoder().encode('no'), qos: 1, retain: false })`);
  const sent = page.getByRole('log', { name: 'Messages' }).getByRole('listitem').filter({ hasText: 'forbidden/x' });
  await expect(sent).toContainText('Acknowledged with 0x87 Not authorized');

  // with latency the acknowledgement comes in a later batch than the message: it still shows
  await api(page, `await pg.setNetwork('Learner', { latency: 400 }); await pg.publish('Learner', { topic: 'forbidden/late', payload: new TextEncoder().encode('late'), qos: 1, retain: false })`);
  const late = page.getByRole('log', { name: 'Messages' }).getByRole('listitem').filter({ hasText: 'forbidden/late' });
  await expect(late).toContainText('awaiting acknowledgement');
  await expect(late).toContainText('Acknowledged with 0x87 Not authorized');
});

test('a payload with markup is shown as text, never run', async ({ page }) => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await start(page);
  await connections(page, ['Victim', 'Attacker']);
  await api(page, `await pg.subscribeTopic('Victim', { topicFilter: 'x/#', qos: 0 })`);
  await expect.poll(() => api(page, `return (await pg.clients()).find((c) => c.name === 'Victim').subscriptions[0].state`)).toBe('active');
  const evil = '<img src=x onerror=alert(1)>';
  await publish(page, 'Attacker', 'x/<b>bold</b>', evil, `, properties: { userProperties: [['<i>k</i>', '<script>alert(2)</script>']] }`);
  await select(page, 'Victim');
  const log = page.getByRole('log', { name: 'Messages' });
  for (const format of ['Auto', 'Plaintext', 'JSON']) {
    await page.getByLabel('View as').selectOption({ label: format });
    await expect(log.getByText(evil, { exact: true })).toBeVisible();
  }
  await expect(log).toContainText('x/<b>bold</b>');
  await expect(log).toContainText('<i>k</i>: <script>alert(2)</script>');
  await expect(log.locator('img, b, i, script')).toHaveCount(0);
  await page.getByLabel('View as').selectOption({ label: 'Hex' });
  await expect(log).toContainText('3c 69 6d 67 20');
  await page.getByLabel('View as').selectOption({ label: 'Base64' });
  await expect(log).toContainText('PGltZyBzcmM9eCBvbmVycm9yPWFsZXJ0KDEpPg==');
  await page.waitForTimeout(300);
  expect(dialogs).toEqual([]);
});

test('100,000 messages: only the rows in view are drawn, the list follows the newest, and scrolls with the keyboard', async ({ page }) => {
  test.setTimeout(120_000);
  await start(page);
  await connections(page, ['Busy', 'Pump']);
  await api(page, `await pg.subscribeTopic('Busy', { topicFilter: 'load/#', qos: 0 })`);
  await expect.poll(() => api(page, `return (await pg.clients())[0].subscriptions[0].state`)).toBe('active');
  await select(page, 'Busy');
  // the page's list grows batch by batch (the worker keeps only the last 10,000 of a connection)
  await api(page, `
    const enc = new TextEncoder();
    for (let b = 0; b < 100; b++) {
      const calls = [];
      for (let i = 0; i < 1000; i++) calls.push(pg.publish('Pump', { topic: 'load/' + (b % 10), payload: enc.encode('message ' + (b * 1000 + i)), qos: 0, retain: false }));
      await Promise.all(calls);
    }`);
  const log = page.getByRole('log', { name: 'Messages' });
  await expect(page.getByText('100000 messages')).toBeVisible({ timeout: 60_000 });
  await expect(log.getByText('message 99999', { exact: true }).last()).toBeVisible();
  const drawn = await log.getByRole('listitem').count();
  expect(drawn).toBeGreaterThan(3);
  expect(drawn).toBeLessThan(60);
  expect(await log.getByRole('listitem').last().getAttribute('aria-setsize')).toBe('100000');

  // keyboard: Home goes to the oldest kept, and the list stops following
  await log.focus();
  await page.keyboard.press('Home');
  await expect(log.getByRole('listitem').first()).toHaveAttribute('aria-posinset', '1');
  await expect(page.getByRole('button', { name: /Jump to the latest/ })).toBeVisible();
  await page.getByRole('button', { name: /Jump to the latest/ }).click();
  await expect(log.getByText('message 99999', { exact: true }).last()).toBeVisible();

  // the filter runs over all of them, and stays quick
  const t0 = Date.now();
  await page.getByLabel('Filter', { exact: true }).fill('load/3');
  await expect(page.getByText('10000 of 100000 messages')).toBeVisible();
  expect(Date.now() - t0).toBeLessThan(5000);
});
