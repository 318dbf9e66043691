import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { api } from './support/page-api';

interface Received {
  topic: string;
  qos: number;
  retain: boolean;
  payload: number[];
  properties: { userProperties?: [string, string][]; contentType?: string; correlationData?: number[]; messageExpiryInterval?: number; responseTopic?: string } | null;
}

/** What `name` received, with payloads as byte arrays. */
function received(page: Page, name: string): Promise<Received[]> {
  return api(page, `return (await pg.messages(${JSON.stringify(name)})).filter((m) => m.direction === 'received').map((m) => ({
    topic: m.topic, qos: m.qos, retain: m.retain, payload: [...m.payload],
    properties: m.properties ? { ...m.properties, correlationData: m.properties.correlationData ? [...m.properties.correlationData] : undefined } : null,
  }))`);
}

function sentCount(page: Page, name: string): Promise<number> {
  return api(page, `return (await pg.messages(${JSON.stringify(name)})).filter((m) => m.direction === 'sent').length`);
}

const bytes = (s: string) => [...new TextEncoder().encode(s)];

/** A connection made through the New Connection dialog, then connected with its Connect button. */
async function createThroughUi(page: Page, name: string, version: '3.1.1' | '5.0' = '5.0'): Promise<void> {
  await page.getByRole('button', { name: 'New Connection' }).click();
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('MQTT Version').selectOption({ label: version });
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { name, level: 2 })).toBeVisible();
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect.poll(() => api(page, `return (await pg.clients()).find((c) => c.name === ${JSON.stringify(name)})?.status`)).toBe('connected');
}

/** A subscriber made through the API, subscribed to `filter` at QoS 2. */
async function subscriber(page: Page, name: string, filter: string): Promise<void> {
  await api(page, `
    const r = await pg.createClient({ name: ${JSON.stringify(name)}, clientId: ${JSON.stringify(name.toLowerCase())}, host: 'in-page', version: 5, cleanStart: true, sessionExpiryInterval: 0, keepalive: 60, username: '', password: '', will: undefined, autoReconnect: false, reconnectPeriod: 4000 });
    if (!r.ok) throw new Error(r.error);
    await pg.connect(${JSON.stringify(name)});
  `);
  await expect.poll(() => api(page, `return (await pg.clients()).find((c) => c.name === ${JSON.stringify(name)})?.status`)).toBe('connected');
  await api(page, `await pg.subscribeTopic(${JSON.stringify(name)}, { topicFilter: ${JSON.stringify(filter)}, qos: 2 })`);
  await expect.poll(() => api(page, `return (await pg.clients()).find((c) => c.name === ${JSON.stringify(name)})?.subscriptions[0]?.state`)).toBe('active');
}

async function start(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByTestId('worker-state')).toHaveText(/Running in a Web Worker/);
  await subscriber(page, 'Subscriber', 'pb/#');
  await createThroughUi(page, 'Publisher');
}

const bar = (page: Page) => page.getByRole('region', { name: 'Publish a message' });
const topic = (page: Page) => bar(page).getByLabel('Topic', { exact: true });
const payload = (page: Page) => bar(page).getByLabel('Payload', { exact: true });
const publish = (page: Page) => bar(page).getByRole('button', { name: 'Publish', exact: true });
const result = (page: Page) => bar(page).getByTestId('publish-result');

test('publishes at QoS 0, 1 and 2 with Retain, in every format, and the subscriber gets those bytes', async ({ page }) => {
  await start(page);
  const cases = [
    { qos: 0, format: 'plaintext', text: 'hello 温度', bytes: bytes('hello 温度') },
    { qos: 1, format: 'json', text: '{ "t": 21.5 }', bytes: bytes('{ "t": 21.5 }') },
    { qos: 2, format: 'hex', text: 'de ad be ef 00', bytes: [0xde, 0xad, 0xbe, 0xef, 0x00] },
    { qos: 2, format: 'base64', text: 'AP8Q', bytes: [0x00, 0xff, 0x10] },
  ];
  for (const c of cases) {
    await topic(page).fill(`pb/${c.format}`);
    await bar(page).getByLabel('QoS', { exact: true }).selectOption(String(c.qos));
    await bar(page).getByRole('checkbox', { name: 'Retain' }).check();
    await bar(page).getByLabel('Format', { exact: true }).selectOption(c.format);
    await payload(page).fill(c.text);
    await expect(bar(page).getByText(`${c.bytes.length} bytes`)).toBeVisible();
    if (c.format === 'hex') await payload(page).press('Control+Enter');
    else await publish(page).click();
    await expect(result(page)).toContainText(`Published to pb/${c.format} (QoS ${c.qos}`);
  }
  await expect.poll(async () => (await received(page, 'Subscriber')).length).toBe(cases.length);
  const got = await received(page, 'Subscriber');
  expect(got.map((m) => ({ topic: m.topic, qos: m.qos, payload: m.payload }))).toEqual(cases.map((c) => ({ topic: `pb/${c.format}`, qos: c.qos, payload: c.bytes })));
  // Retain: the broker kept each one
  expect(await api(page, `return (await pg.brokerSnapshot()).retained.map((r) => r.topic).filter((t) => t.startsWith('pb/')).sort()`)).toEqual(['pb/base64', 'pb/hex', 'pb/json', 'pb/plaintext']);
});

test('invalid JSON, hex, Base64 and topics are explained next to the field, and nothing is published', async ({ page }) => {
  await start(page);
  const format = bar(page).getByLabel('Format', { exact: true });

  await topic(page).fill('pb/x');
  await format.selectOption('json');
  await payload(page).fill('{"a": 1,}');
  await expect(bar(page).getByText(/^Not valid JSON: /)).toBeVisible();
  await expect(payload(page)).toHaveAttribute('aria-invalid', 'true');
  await publish(page).click();
  await expect(result(page)).toHaveText('Nothing published: fix the fields marked in red.');

  await format.selectOption('hex');
  await payload(page).fill('de ad b');
  await expect(bar(page).getByText('Hex digits come in pairs: “b” has an odd number of them.')).toBeVisible();
  await payload(page).fill('0x41');
  await expect(bar(page).getByText('“x” at position 2 is not a hex digit.')).toBeVisible();
  await publish(page).click();

  await format.selectOption('base64');
  await payload(page).fill('aGVsbG8*');
  await expect(bar(page).getByText('“*” at position 8 is not Base64.')).toBeVisible();
  await publish(page).click();

  await format.selectOption('plaintext');
  await expect(payload(page)).toHaveAttribute('aria-invalid', 'false');
  await topic(page).fill('pb/+/temp');
  await expect(bar(page).getByText('A topic name cannot contain + or #: wildcards are only for subscriptions.')).toBeVisible();
  await expect(topic(page)).toHaveAttribute('aria-invalid', 'true');
  await publish(page).click();
  await topic(page).fill('');
  await publish(page).click();
  await expect(bar(page).getByText('Enter the topic to publish to.')).toBeVisible();

  expect(await sentCount(page, 'Publisher')).toBe(0);
  expect(await received(page, 'Subscriber')).toEqual([]);

  // fixed, it goes
  await topic(page).fill('pb/fixed');
  await publish(page).click();
  await expect.poll(async () => (await received(page, 'Subscriber')).map((m) => m.topic)).toEqual(['pb/fixed']);
});

test('switching format writes the same bytes in the new format', async ({ page }) => {
  await start(page);
  const format = bar(page).getByLabel('Format', { exact: true });
  await payload(page).fill('hi');
  await format.selectOption('hex');
  await expect(payload(page)).toHaveValue('68 69');
  await format.selectOption('base64');
  await expect(payload(page)).toHaveValue('aGk=');
  await format.selectOption('plaintext');
  await expect(payload(page)).toHaveValue('hi');
});

test('the history puts a publication back with one click, or with ↑/↓ like a shell', async ({ page }) => {
  await start(page);
  const qos = bar(page).getByLabel('QoS', { exact: true });
  await topic(page).fill('pb/first');
  await qos.selectOption('1');
  await payload(page).fill('one');
  await publish(page).click();
  await expect(result(page)).toContainText('Published to pb/first');
  await topic(page).fill('pb/second');
  await qos.selectOption('0');
  await payload(page).fill('two');
  await publish(page).click();
  await expect(result(page)).toContainText('Published to pb/second');

  await topic(page).fill('pb/draft');
  await payload(page).fill('half typed');
  await bar(page).getByRole('button', { name: /^History/ }).click();
  const entries = bar(page).getByRole('list', { name: 'History' }).getByRole('button');
  await expect(entries).toHaveCount(2);
  await expect(entries.first()).toContainText('pb/second');
  await expect(entries.first()).toBeFocused();
  await entries.nth(1).click();
  await expect(topic(page)).toHaveValue('pb/first');
  await expect(payload(page)).toHaveValue('one');
  await expect(qos).toHaveValue('1');
  await expect(payload(page)).toBeFocused();

  // the keyboard: ↓ is nothing to recall yet; ↑ newest, ↑ older, ↓ newer, ↓ back to what was typed
  await payload(page).fill('typed again');
  await payload(page).press('ArrowUp');
  await expect(payload(page)).toHaveValue('two');
  await expect(topic(page)).toHaveValue('pb/second');
  await payload(page).press('ArrowUp');
  await expect(payload(page)).toHaveValue('one');
  await payload(page).press('ArrowUp');
  await expect(payload(page)).toHaveValue('one');
  await payload(page).press('ArrowDown');
  await expect(payload(page)).toHaveValue('two');
  await payload(page).press('ArrowDown');
  await expect(payload(page)).toHaveValue('typed again');
  await expect(topic(page)).toHaveValue('pb/first');

  // reusing and publishing again moves it to the top instead of repeating it
  await payload(page).press('ArrowUp');
  await payload(page).press('ArrowUp');
  await payload(page).press('Control+Enter');
  await expect(bar(page).getByRole('button', { name: /^History/ })).toHaveText('History (2)');
});

test('a saved payload and the history survive a reload', async ({ page }) => {
  await start(page);
  await bar(page).getByLabel('Format', { exact: true }).selectOption('json');
  await payload(page).fill('{"temp": 22}');
  await bar(page).getByRole('button', { name: /^Saved/ }).click();
  await bar(page).getByLabel('Save as').fill('room');
  await bar(page).getByRole('button', { name: 'Save payload' }).click();
  await expect(bar(page).getByText('Saved “room”.')).toBeVisible();
  await bar(page).getByLabel('Save as').fill('empty');
  await bar(page).getByRole('button', { name: 'Save payload' }).click();
  await expect(bar(page).getByText('Saved “empty”.')).toBeVisible();
  await bar(page).getByRole('button', { name: 'Delete saved payload “empty”' }).click();
  await expect(bar(page).getByRole('list', { name: 'Saved payloads' }).getByRole('listitem')).toHaveCount(1);
  await topic(page).fill('pb/kept');
  await publish(page).click();
  await expect(result(page)).toContainText('Published to pb/kept');
  await expect.poll(() => api(page, `return (await pg.workspaceGet('saved-payloads'))?.length`)).toBe(1);
  await expect.poll(() => api(page, `return (await pg.workspaceGet('publish-history'))?.Publisher?.length`)).toBe(1);

  await page.reload();
  await expect(page.getByTestId('worker-state')).toHaveText(/Running in a Web Worker/);
  await page.getByRole('button', { name: /Publisher/ }).click();
  await bar(page).getByLabel('Format', { exact: true }).selectOption('plaintext');
  await payload(page).fill('');
  await bar(page).getByRole('button', { name: /^Saved/ }).click();
  await bar(page).getByRole('list', { name: 'Saved payloads' }).getByRole('button', { name: /^room/ }).click();
  await expect(payload(page)).toHaveValue('{"temp": 22}');
  await expect(bar(page).getByLabel('Format', { exact: true })).toHaveValue('json');
  await expect(bar(page).getByRole('button', { name: /^History/ })).toHaveText('History (1)');
});

test('MQTT 5.0 properties arrive with the message, and wrong ones are explained', async ({ page }) => {
  await start(page);
  await topic(page).fill('pb/props');
  await payload(page).fill('{"ok": true}');
  await bar(page).getByRole('button', { name: 'Properties' }).click();
  const props = bar(page).getByRole('group', { name: 'Properties' });
  await props.getByRole('button', { name: 'Add user property' }).click();
  await props.getByLabel('Property name 1').fill('unit');
  await props.getByLabel('Property value 1').fill('celsius');
  await props.getByLabel('Content Type').fill('application/json');
  await props.getByLabel('Payload Format Indicator').selectOption('1');
  await props.getByLabel(/Message Expiry Interval/).fill('60');
  await props.getByLabel('Response Topic').fill('pb/reply');
  await props.getByLabel('Correlation Data').fill('0a 0b');
  await props.getByLabel('Correlation encoding').selectOption('hex');

  await props.getByLabel('Topic Alias').fill('0');
  await expect(props.getByText('Enter a whole number from 1 to 65535.')).toBeVisible();
  await publish(page).click();
  expect(await sentCount(page, 'Publisher')).toBe(0);
  await props.getByLabel('Topic Alias').fill('');
  await props.getByLabel('Response Topic').fill('pb/#');
  await expect(props.getByText('A topic name cannot contain + or #: wildcards are only for subscriptions.')).toBeVisible();
  await props.getByLabel('Response Topic').fill('pb/reply');

  await expect(bar(page).getByRole('button', { name: 'Properties' })).toHaveText('Properties (6)');
  await publish(page).click();
  await expect.poll(async () => (await received(page, 'Subscriber')).length).toBe(1);
  const [m] = await received(page, 'Subscriber');
  expect(m!.properties).toMatchObject({
    userProperties: [['unit', 'celsius']], contentType: 'application/json', payloadFormatIndicator: true, responseTopic: 'pb/reply', correlationData: [0x0a, 0x0b],
  });
  expect(m!.properties!.messageExpiryInterval).toBeLessThanOrEqual(60);
});

test('publishing while disconnected queues the message, and connecting sends it', async ({ page }) => {
  await start(page);
  await page.getByRole('button', { name: 'Disconnect', exact: true }).click();
  await expect.poll(() => api(page, `return (await pg.clients()).find((c) => c.name === 'Publisher')?.status`)).toBe('disconnected');
  await topic(page).fill('pb/later');
  await bar(page).getByLabel('QoS', { exact: true }).selectOption('1');
  await payload(page).fill('queued');
  await publish(page).click();
  await expect(result(page)).toHaveText('Publisher is not connected: the message is queued and will be sent when it connects.');
  expect(await received(page, 'Subscriber')).toEqual([]);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect.poll(async () => (await received(page, 'Subscriber')).map((m) => m.topic)).toEqual(['pb/later']);
});

test('a 3.1.1 connection has no Properties section', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('worker-state')).toHaveText(/Running in a Web Worker/);
  await createThroughUi(page, 'Old', '3.1.1');
  await expect(publish(page)).toBeVisible();
  await expect(bar(page).getByRole('button', { name: 'Properties' })).toHaveCount(0);
});

test('when the worker refuses a publication, the bar says why', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('worker-state')).toHaveText(/Running in a Web Worker/);
  // a broker offering QoS 1 at most says so in its CONNACK (5.0): the client refuses QoS 2
  await api(page, `const r = await pg.configureBroker({ maximumQoS: 1 }); if (!r.ok) throw new Error(r.error)`);
  await createThroughUi(page, 'Limited');
  await bar(page).getByLabel('QoS', { exact: true }).selectOption('2');
  await publish(page).click();
  await expect(bar(page).getByRole('alert')).toContainText("Not published: the server's Maximum QoS is 1");
  expect(await sentCount(page, 'Limited')).toBe(0);
});

test('the publish bar is accessible in light and dark themes at 1024 px', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await start(page);
  await bar(page).getByRole('button', { name: 'Properties' }).click();
  await bar(page).getByRole('group', { name: 'Properties' }).getByRole('button', { name: 'Add user property' }).click();
  await bar(page).getByLabel('Format', { exact: true }).selectOption('json');
  await payload(page).fill('{');
  await publish(page).click();
  for (const panel of ['Saved', 'History']) {
    await bar(page).getByRole('button', { name: new RegExp(`^${panel}`) }).click();
    for (const theme of ['light', 'dark']) {
      await page.getByRole('combobox', { name: 'Theme' }).selectOption(theme);
      const results = await new AxeBuilder({ page }).include('section[aria-label="Publish a message"]').analyze();
      expect(results.violations.map((v) => `${panel}, ${theme}: ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    }
  }
  // nothing sticks out sideways at 1024 px, and Publish stays reachable
  const overflow = await bar(page).evaluate((el) => el.scrollWidth - el.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await publish(page).scrollIntoViewIfNeeded();
  await expect(publish(page)).toBeInViewport();
});
