import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { api, status } from './support/page-api';

async function open(page: Page, section: 'Overview' | 'Sessions' | 'Retained' | 'Statistics' | 'Log' | 'Settings'): Promise<void> {
  await page.getByRole('tablist', { name: 'Broker sections' }).getByRole('tab', { name: section, exact: true }).click();
}

test.beforeEach(async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto('/');
  await expect(page.getByTestId('worker-state')).toHaveText(/Running in a Web Worker/);
});

test('a persistent session shows offline, with its queued messages and an expiry countdown', async ({ page }) => {
  await api(page, `
    check(await pg.createClient(cfg('Sub', 'sub-1', { cleanStart: false, sessionExpiryInterval: 120 })));
    // no keep-alive: the jumps of virtual time below must not end the publisher's connection
    check(await pg.createClient(cfg('Pub', 'pub-1', { keepalive: 0 })));
    check(await pg.connect('Sub'));
    check(await pg.connect('Pub'));
  `);
  await expect.poll(() => status(page, 'Sub')).toBe('connected');
  await expect.poll(() => status(page, 'Pub')).toBe('connected');
  await api(page, `check(await pg.subscribeTopic('Sub', { topicFilter: 'alerts/#', qos: 1 }))`);
  await expect.poll(() => api(page, `return (await pg.clients()).find((c) => c.name === 'Sub').subscriptions[0].state`)).toBe('active');

  await open(page, 'Sessions');
  const row = page.locator('[data-testid="broker-session"][data-client-id="sub-1"]');
  await expect(row.getByTestId('session-state')).toHaveText('online');
  await expect(row.getByTestId('session-expiry')).toHaveText('kept 2:00 after disconnect');
  await expect(page.getByRole('list', { name: 'Subscriptions of sub-1' })).toContainText('alerts/#');

  await api(page, `check(await pg.disconnect('Sub'))`);
  await expect.poll(() => status(page, 'Sub')).toBe('disconnected');
  // the panel shows what the broker knows: the session is offline once the DISCONNECT reached it
  await expect(row.getByTestId('session-state')).toHaveText('offline');
  await api(page, `
    check(await pg.publish('Pub', { topic: 'alerts/door', payload: enc('open'), qos: 1, retain: false }));
    check(await pg.publish('Pub', { topic: 'alerts/window', payload: enc('open'), qos: 1, retain: false }));
  `);
  await expect(row.getByTestId('session-queued')).toHaveText('2');
  await expect(row.getByTestId('session-expiry')).toHaveText(/^expires in (1:5\d|2:00)$/);

  // virtual time drives the countdown
  await api(page, `await pg.pause(); await pg.advance(30_000);`);
  await expect(row.getByTestId('session-expiry')).toHaveText(/^expires in 1:(2\d|30)$/);
  await api(page, `await pg.advance(91_000);`);
  await expect(row).toHaveCount(0);
  await expect(page.getByText('1 of 1 online')).toBeVisible();

  // the overview's counts follow the broker
  await open(page, 'Overview');
  await expect(page.locator('dl[aria-label="Broker"]')).toContainText('1 (1 connected)');
});

test('a retained message appears, as text or hex, and can be deleted', async ({ page }) => {
  await api(page, `
    check(await pg.createClient(cfg('Pub', 'pub-1')));
    check(await pg.connect('Pub'));
  `);
  await expect.poll(() => status(page, 'Pub')).toBe('connected');
  await api(page, `
    check(await pg.publish('Pub', { topic: 'home/lamp', payload: enc('<b>on</b>'), qos: 1, retain: true }));
    check(await pg.publish('Pub', { topic: 'bin/x', payload: new Uint8Array([0xff, 0x00, 0x41]), qos: 0, retain: true }));
  `);
  await open(page, 'Retained');
  const lamp = page.locator('[data-testid="retained-row"][data-topic="home/lamp"]');
  await expect(lamp.getByTestId('retained-payload')).toHaveText('<b>on</b>');
  await expect(lamp.locator('b')).toHaveCount(0); // text, never HTML
  await expect(lamp).toContainText('QoS 1');
  await expect(lamp).toContainText('9 bytes');
  const bin = page.locator('[data-testid="retained-row"][data-topic="bin/x"]');
  await expect(bin.getByTestId('retained-payload')).toHaveText('ff 00 41');
  await expect(bin).toContainText('hex');
  // $SYS topics are hidden until asked for
  await expect(page.locator('[data-testid="retained-row"][data-topic^="$SYS/"]')).toHaveCount(0);
  await page.getByLabel('Show $SYS').check();
  await expect(page.locator('[data-testid="retained-row"][data-topic="$SYS/broker/version"]')).toBeVisible();
  await page.getByLabel('Show $SYS').uncheck();

  await page.getByRole('button', { name: 'Delete the retained message on home/lamp' }).click();
  await expect(lamp).toHaveCount(0);
  expect(await api(page, `return (await pg.brokerSnapshot()).retained.map((r) => r.topic).filter((t) => !t.startsWith('$SYS/'))`)).toEqual(['bin/x']);

  page.once('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: 'Delete all' }).click();
  await expect(page.getByText(/No retained messages besides the broker’s \d+ \$SYS topics/)).toBeVisible();
  expect(await api(page, `return (await pg.brokerSnapshot()).retained.filter((r) => !r.topic.startsWith('$SYS/')).length`)).toBe(0);
});

test('anonymous access off refuses a client without username; a user added in Settings connects', async ({ page }) => {
  await open(page, 'Settings');
  const anonymous = page.getByLabel('Allow anonymous access');
  await expect(anonymous).toBeChecked();
  await anonymous.uncheck();
  await expect.poll(() => api(page, `return (await pg.brokerSnapshot()).config.allowAnonymous`)).toBe(false);
  await expect(page.getByText('No users: with anonymous access off, nobody can connect. Add a user.')).toBeVisible();

  await api(page, `
    check(await pg.createClient(cfg('Anon', 'anon-1')));
    check(await pg.connect('Anon'));
  `);
  await expect.poll(() => api(page, `return (await pg.clients()).find((c) => c.name === 'Anon').lastError`)).toMatch(/Connection refused/);
  await page.getByRole('navigation', { name: 'Connections' }).getByRole('button', { name: 'Anon' }).click();
  await expect(page.getByText(/Connection refused: anonymous access is not allowed.*\(0x87\)/)).toBeVisible();

  // a refusal is explained next to the field, and nothing is added
  await page.getByRole('button', { name: 'Add user' }).click();
  await expect(page.locator('#broker-user-name-error')).toHaveText('Required.');
  await page.getByLabel('Username', { exact: true }).fill('alice');
  await page.getByLabel('Password', { exact: true }).fill('s3cret');
  await page.getByRole('button', { name: 'Add user' }).click();
  await expect(page.getByRole('list', { name: 'Users' })).toContainText('alice');
  // only a hash reaches the configuration
  const stored = await api<string>(page, `return (await pg.brokerSnapshot()).config.users[0].password`);
  expect(stored).not.toContain('s3cret');

  await api(page, `
    check(await pg.createClient(cfg('Alice', 'alice-1', { username: 'alice', password: 's3cret' })));
    check(await pg.connect('Alice'));
  `);
  await expect.poll(() => status(page, 'Alice')).toBe('connected');

  await open(page, 'Log');
  const log = page.getByTestId('decision-log');
  await expect(log).toContainText('connection of anon-1 refused: anonymous access is not allowed');
  await expect(log).toContainText('alice-1 connected (MQTT 5.0)');

  // removing the user closes the door again (for new connections)
  await open(page, 'Settings');
  await page.getByRole('button', { name: 'Delete user alice' }).click();
  await expect(page.getByRole('list', { name: 'Users' })).toHaveCount(0);
});

test('an ACL rule denying subscribe refuses the subscription (0x87), and the log says so; order decides', async ({ page }) => {
  await open(page, 'Settings');
  const form = page.getByRole('form', { name: 'Add rule' });
  // an invalid filter is explained next to its field
  await form.getByLabel('Topic filter').fill('secret/#/x');
  await form.getByRole('button', { name: 'Add rule' }).click();
  await expect(page.locator('#acl-topic-error')).toContainText('Not a topic filter');

  await form.getByLabel('Permission').selectOption('deny');
  await form.getByLabel('Action').selectOption('subscribe');
  await form.getByLabel('Topic filter').fill('secret/#');
  await form.getByRole('button', { name: 'Add rule' }).click();
  await expect(page.getByTestId('acl-rule')).toHaveCount(1);
  await form.getByLabel('Permission').selectOption('allow');
  await form.getByLabel('Topic filter').fill('secret/public');
  await form.getByRole('button', { name: 'Add rule' }).click();
  await expect(page.getByTestId('acl-rule')).toHaveCount(2);
  await expect(page.getByTestId('acl-rule').nth(0)).toContainText('deny');

  await api(page, `
    check(await pg.createClient(cfg('Spy', 'spy-1')));
    check(await pg.connect('Spy'));
  `);
  await expect.poll(() => status(page, 'Spy')).toBe('connected');
  await api(page, `
    check(await pg.subscribeTopic('Spy', { topicFilter: 'secret/plans', qos: 0 }));
    check(await pg.subscribeTopic('Spy', { topicFilter: 'secret/public', qos: 0 }));
  `);
  const sub = (filter: string) => api(page, `const s = (await pg.clients()).find((c) => c.name === 'Spy').subscriptions.find((x) => x.topicFilter === '${filter}'); return s.state + ' ' + s.reasonCode`);
  await expect.poll(() => sub('secret/plans')).toBe('refused 135');
  // the deny rule comes first and shares topics with secret/public
  await expect.poll(() => sub('secret/public')).toBe('refused 135');

  await open(page, 'Log');
  await page.getByLabel('Client ID').selectOption('spy-1');
  await page.getByLabel('Kind').selectOption({ label: 'Refusals and drops' });
  const log = page.getByTestId('decision-log');
  await expect(log).toContainText('subscription of spy-1 to secret/plans refused (0x87)');
  await expect(log.getByRole('listitem')).toHaveCount(2);

  // move the allow rule first: now secret/public is granted
  await open(page, 'Settings');
  await page.getByRole('button', { name: 'Move rule 2 up' }).click();
  await expect(page.getByTestId('acl-rule').nth(0)).toContainText('secret/public');
  await expect(page.getByRole('button', { name: 'Move rule 1 down' })).toBeFocused();
  await api(page, `check(await pg.subscribeTopic('Spy', { topicFilter: 'secret/public', qos: 0 }))`);
  await expect.poll(() => sub('secret/public')).toBe('active 0');
  expect(await api(page, `return (await pg.brokerSnapshot()).config.acl.map((r) => r.permission + ' ' + r.action + ' ' + r.topic)`)).toEqual([
    'allow subscribe secret/public',
    'deny subscribe secret/#',
  ]);
  await page.getByRole('button', { name: 'Delete rule 2' }).click();
  await expect(page.getByTestId('acl-rule')).toHaveCount(1);
});

test('limits: a value out of range is explained next to its field; a valid one applies', async ({ page }) => {
  await open(page, 'Settings');
  const size = page.getByLabel(/^Maximum Packet Size/);
  await size.fill('10');
  await size.press('Enter');
  await expect(page.locator('#broker-setting-maximumPacketSize-error')).toHaveText('Enter a whole number from 64 to 268435460.');
  await expect(size).toHaveAttribute('aria-invalid', 'true');
  await size.fill('4096');
  await size.press('Enter');
  await expect(page.locator('#broker-setting-maximumPacketSize-error')).toHaveCount(0);
  await expect.poll(() => api(page, `return (await pg.brokerSnapshot()).config.maximumPacketSize`)).toBe(4096);
  await expect(page.locator('[data-setting="maximumPacketSize"]')).toContainText('applies to new connections');
  await expect(page.locator('[data-setting="maxQueuedMessages"]')).toContainText('applies now');

  await page.getByLabel('Maximum QoS').selectOption('1');
  await expect.poll(() => api(page, `return (await pg.brokerSnapshot()).config.maximumQoS`)).toBe(1);
  await page.getByLabel(/^Server Keep Alive/).fill('30');
  await page.getByLabel(/^Server Keep Alive/).blur();
  await expect.poll(() => api(page, `return (await pg.brokerSnapshot()).config.serverKeepAlive`)).toBe(30);
  await page.getByLabel(/^Server Keep Alive/).fill('');
  await page.getByLabel(/^Server Keep Alive/).press('Enter');
  await expect.poll(() => api(page, `return (await pg.brokerSnapshot()).config.serverKeepAlive ?? 'none'`)).toBe('none');
  await page.getByLabel('Queue QoS 0 messages for offline sessions').check();
  await expect.poll(() => api(page, `return (await pg.brokerSnapshot()).config.queueQos0`)).toBe(true);
});

test('restart the broker keeping its state, then dropping it', async ({ page }) => {
  await api(page, `
    check(await pg.createClient(cfg('Keeper', 'keeper-1', { cleanStart: false, sessionExpiryInterval: 300 })));
    check(await pg.createClient(cfg('Pub', 'pub-1')));
    check(await pg.connect('Keeper'));
    check(await pg.connect('Pub'));
  `);
  await expect.poll(() => status(page, 'Keeper')).toBe('connected');
  await expect.poll(() => status(page, 'Pub')).toBe('connected');
  await api(page, `
    check(await pg.subscribeTopic('Keeper', { topicFilter: 'keep/#', qos: 1 }));
    check(await pg.publish('Pub', { topic: 'keep/me', payload: enc('kept'), qos: 0, retain: true }));
  `);
  await expect.poll(() => api(page, `return (await pg.brokerSnapshot()).sessions.find((s) => s.clientId === 'keeper-1')?.subscriptions.length`)).toBe(1);

  await open(page, 'Settings');
  await page.getByRole('button', { name: 'Restart broker' }).click();
  const dialog = page.getByRole('dialog', { name: 'Restart broker' });
  await expect(dialog.getByLabel('Keep persistent sessions and retained messages')).toBeChecked();
  await dialog.getByRole('button', { name: 'Restart', exact: true }).click();
  await expect(page.getByText(/Restarted at .*, with the persisted sessions and retained messages\./)).toBeVisible();
  await expect.poll(() => status(page, 'Keeper')).toBe('disconnected');

  await open(page, 'Sessions');
  const keeper = page.locator('[data-testid="broker-session"][data-client-id="keeper-1"]');
  await expect(keeper.getByTestId('session-state')).toHaveText('offline');
  await expect(page.getByRole('list', { name: 'Subscriptions of keeper-1' })).toContainText('keep/#');
  await expect(page.locator('[data-testid="broker-session"][data-client-id="pub-1"]')).toHaveCount(0);
  await open(page, 'Retained');
  await expect(page.locator('[data-testid="retained-row"][data-topic="keep/me"]')).toBeVisible();

  await open(page, 'Settings');
  await page.getByRole('button', { name: 'Restart broker' }).click();
  await dialog.getByLabel('Drop them: start from nothing').check();
  await dialog.getByRole('button', { name: 'Restart', exact: true }).click();
  await expect(page.getByText(/Restarted at .*, from nothing\./)).toBeVisible();
  await open(page, 'Sessions');
  await expect(page.getByText('No sessions yet. Connect a client to see its session here.')).toBeVisible();
  await open(page, 'Retained');
  await expect(page.locator('[data-testid="retained-row"][data-topic="keep/me"]')).toHaveCount(0);
});

test('statistics come from $SYS and every section passes axe, light and dark, at 1024 px', async ({ page }) => {
  await api(page, `
    check(await pg.createClient(cfg('Pub', 'pub-1', { cleanStart: false, sessionExpiryInterval: 60 })));
    check(await pg.connect('Pub'));
  `);
  await expect.poll(() => status(page, 'Pub')).toBe('connected');
  await api(page, `
    check(await pg.subscribeTopic('Pub', { topicFilter: 'a/#', qos: 1 }));
    check(await pg.publish('Pub', { topic: 'a/b', payload: enc('x'), qos: 1, retain: true }));
    check(await pg.configureBroker({ acl: [{ permission: 'deny', action: 'publish', topic: 'x/%u', username: 'bob' }] }));
    check(await pg.setUser('bob', 'pw'));
  `);
  await open(page, 'Statistics');
  await expect(page.locator('[data-testid="sys-row"][data-topic="$SYS/broker/clients/connected"] td')).toHaveText('1');
  await expect(page.locator('[data-testid="sys-row"][data-topic="$SYS/broker/messages/received"] td')).not.toHaveText('0');

  const tools = page.getByRole('region', { name: 'Tools' });
  const box = await tools.boundingBox();
  expect(box!.width).toBeGreaterThan(300);
  const headings = { Overview: 'In-page broker', Sessions: 'Sessions', Retained: 'Retained messages', Statistics: 'Statistics ($SYS)', Log: 'Decisions of the broker', Settings: 'Access' };
  for (const theme of ['light', 'dark'] as const) {
    await page.getByLabel('Theme').selectOption(theme);
    for (const section of ['Overview', 'Sessions', 'Retained', 'Statistics', 'Log', 'Settings'] as const) {
      await open(page, section);
      await expect(tools.getByRole('heading', { name: headings[section], exact: true })).toBeVisible();
      // the panel fits: nothing makes the right column scroll sideways
      await expect.poll(() => tools.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
      const results = await new AxeBuilder({ page }).include('section[aria-label="Tools"]').analyze();
      expect(results.violations.map((v) => `${theme}/${section}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    }
  }

  // keyboard: the sections are tabs with arrow keys
  await open(page, 'Overview');
  await page.getByRole('tab', { name: 'Overview' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Sessions', exact: true })).toBeFocused();
  await expect(page.getByRole('tab', { name: 'Sessions', exact: true })).toHaveAttribute('aria-selected', 'true');
});
