/**
 * The sequence diagram: QoS 2 flows grouped, a packet lost on a cut link and
 * its DUP retransmission after reconnecting, arrows that open the byte
 * inspector, SVG export, axe in both themes at 1024 px, and a long capture
 * drawn only where it is seen. (Frame times with 2,000 arrows in view are
 * measured by npm run bench:packets, not here.)
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { api } from './support/page-api';

/** A connection's settings as the New Connection form makes them. */
const CFG = `const cfg = (name, version, cleanStart) => ({ name, clientId: name.replace(/\\W/g, '_').toLowerCase(), host: 'in-page', version, cleanStart,
  sessionExpiryInterval: cleanStart ? 0 : 3600, keepalive: 60, username: '', password: '', will: undefined, autoReconnect: false, reconnectPeriod: 4000 });`;

async function createConnected(page: Page, clients: [name: string, version: 4 | 5, cleanStart: boolean][]): Promise<void> {
  await api(page, `${CFG}
    for (const [name, v, clean] of ${JSON.stringify(clients)}) {
      const r = await pg.createClient(cfg(name, v, clean));
      if (!r.ok) throw new Error(r.error);
      await pg.connect(name);
    }`);
  await expect.poll(() => api(page, `return (await pg.clients()).map((c) => c.status).join()`)).toBe(clients.map(() => 'connected').join());
}

async function subscribe(page: Page, name: string, topicFilter: string, qos: number): Promise<void> {
  await api(page, `await pg.subscribeTopic(${JSON.stringify(name)}, { topicFilter: ${JSON.stringify(topicFilter)}, qos: ${qos} })`);
  await expect.poll(() => api(page, `return (await pg.clients()).find((c) => c.name === ${JSON.stringify(name)}).subscriptions[0]?.state`)).toBe('active');
}

function publish(page: Page, name: string, topic: string, qos: number, text = 'hello'): Promise<unknown> {
  return api(page, `const r = await pg.publish(${JSON.stringify(name)}, { topic: ${JSON.stringify(topic)}, payload: new TextEncoder().encode(${JSON.stringify(text)}), qos: ${qos}, retain: false }); if (!r.ok) throw new Error(r.error);`);
}

async function openDiagram(page: Page): Promise<Locator> {
  await page.getByRole('tab', { name: 'Diagram' }).click();
  const diagram = page.getByRole('region', { name: 'Sequence diagram' });
  await expect(diagram).toBeVisible();
  return diagram;
}

async function start(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByTestId('worker-state')).toHaveText(/Running in a Web Worker/);
}

async function seriousViolations(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).analyze();
  return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test.use({ viewport: { width: 1024, height: 768 } });

test('a QoS 2 exchange is drawn as grouped arrows on each side, labelled with its essentials', async ({ page }) => {
  await start(page);
  await createConnected(page, [['Receiver', 5, true], ['Sender', 5, true]]);
  await subscribe(page, 'Receiver', 'chat/#', 2);
  const diagram = await openDiagram(page);
  await publish(page, 'Sender', 'chat/room/1', 2);

  const sender = diagram.locator('path.arrow[data-link="Sender"]');
  const flow = ['publish', 'pubrec', 'pubrel', 'pubcomp'];
  for (const type of flow) await expect(sender.and(page.locator(`[data-type="${type}"]`))).toHaveCount(1);
  const groups = await Promise.all(flow.map((type) => sender.and(page.locator(`[data-type="${type}"]`)).getAttribute('data-group')));
  expect(groups[0]).toMatch(/^\d+$/);
  expect(new Set(groups).size).toBe(1);
  // the flow's bracket is drawn, complete, on the sender's link at QoS 2
  const bracket = diagram.locator(`g.group[data-group-id="${groups[0]}"]`);
  await expect(bracket).toHaveAttribute('data-link', 'Sender');
  await expect(bracket).toHaveAttribute('data-qos', '2');
  await expect(bracket).not.toHaveClass(/open/);
  // directions: PUBLISH and PUBREL go to the broker, PUBREC and PUBCOMP come back
  expect(await Promise.all(flow.map((type) => sender.and(page.locator(`[data-type="${type}"]`)).getAttribute('data-dir')))).toEqual(['to-broker', 'to-client', 'to-broker', 'to-client']);
  // the receiver's side is a flow of its own
  const receiver = diagram.locator('path.arrow[data-link="Receiver"][data-type="pubcomp"]');
  await expect(receiver).toHaveCount(1);
  expect(await receiver.getAttribute('data-group')).not.toBe(groups[0]);
  // accessible names say what, from where, to where
  await expect(diagram.getByRole('button', { name: /^PUBLISH chat\/room\/1 QoS 2 id \d+ from Sender to broker$/ })).toHaveCount(1);
  await expect(diagram.getByRole('button', { name: /^PUBCOMP id \d+ from Receiver to broker$/ })).toHaveCount(1);
  // one arrow is in the Tab order, the others are reached with the arrow keys
  await expect(diagram.locator('path.arrow[tabindex="0"]')).toHaveCount(1);
});

test('a link cut during QoS 1 loses the PUBLISH mid-way; after reconnecting the retransmission is marked DUP', async ({ page }) => {
  await start(page);
  await createConnected(page, [['Subscriber', 4, false], ['Publisher', 4, true]]);
  await subscribe(page, 'Subscriber', 'alarm/#', 1);
  const diagram = await openDiagram(page);

  await api(page, `const r = await pg.cut('Subscriber'); if (!r.ok) throw new Error(r.error);`);
  await publish(page, 'Publisher', 'alarm/door', 1, 'open');
  const lost = diagram.locator('path.arrow[data-link="Subscriber"][data-type="publish"][data-state="lost"]');
  await expect(lost).toHaveCount(1);
  await expect(lost).toHaveAttribute('aria-label', /^PUBLISH alarm\/door QoS 1 id \d+ from broker to Subscriber, lost on the way$/);
  // it ends half-way between the broker's lane and the subscriber's, with a cross
  const lostSeq = await lost.getAttribute('data-seq');
  await expect(diagram.locator(`path.cross[data-cross-for="${lostSeq}"]`)).toHaveCount(1);
  const [x1, , x2] = (await lost.getAttribute('d'))!.match(/^M([\d.]+) ([\d.]+)L([\d.]+)/)!.slice(1).map(Number);
  const lanes = await diagram.locator('text.lane').evaluateAll((ls) => ls.map((l) => Number(l.getAttribute('x'))));
  const others = lanes.filter((x) => x !== x1);
  const receiverX = others.reduce((best, x) => (Math.abs(x - x1!) < Math.abs(best - x1!) ? x : best));
  expect(x2).toBeCloseTo((x1! + receiverX) / 2, 0);

  await api(page, `await pg.restore('Subscriber'); await pg.disconnect('Subscriber');`);
  await expect.poll(() => api(page, `return (await pg.clients()).find((c) => c.name === 'Subscriber').status`)).toBe('disconnected');
  await api(page, `await pg.connect('Subscriber')`);
  const dup = diagram.locator('path.arrow[data-link="Subscriber"][data-type="publish"][data-dup="true"]');
  await expect(dup).toHaveCount(1);
  await expect(dup).toHaveAttribute('aria-label', /^PUBLISH alarm\/door QoS 1 id \d+ DUP from broker to Subscriber$/);
  await expect(diagram.locator(`text[data-label-for="${await dup.getAttribute('data-seq')}"]`)).toContainText('DUP');
  // the lost PUBLISH, the DUP and the PUBACK are one flow
  const group = await lost.getAttribute('data-group');
  expect(await dup.getAttribute('data-group')).toBe(group);
  await expect(diagram.locator(`path.arrow[data-group="${group}"][data-type="puback"]`)).toHaveCount(1);
  await expect(diagram.locator(`g.group[data-group-id="${group}"]`)).not.toHaveClass(/open/);
});

test('a pulled cable: the keep-alive timer runs out on the client lane, and its will is published', async ({ page }) => {
  await start(page);
  await api(page, `const r = await pg.createClient({ name: 'Sensor 1', clientId: 'sensor_1', host: 'in-page', version: 5, cleanStart: true, sessionExpiryInterval: 0,
    keepalive: 10, username: '', password: '', will: { topic: 'status/sensor_1', qos: 1, retain: false, payload: 'offline', delayInterval: 0 }, autoReconnect: false, reconnectPeriod: 4000 });
    if (!r.ok) throw new Error(r.error);
    await pg.connect('Sensor 1');`);
  await expect.poll(() => api(page, `return (await pg.clients())[0].status`)).toBe('connected');
  const diagram = await openDiagram(page);
  await api(page, `await pg.cut('Sensor 1'); await pg.setSpeed(100);`);
  const expired = diagram.locator('g.span[data-kind="keepalive"][data-state="expired"]');
  await expect(expired).toHaveCount(1, { timeout: 10_000 });
  await expect(expired).toHaveAttribute('aria-label', /^Keep Alive 1\.5 × 10 s: silent 1[45](\.\d)? s, the broker gave up$/);
  await expect(diagram.locator('g.span[data-kind="will"][data-state="published"]')).toHaveCount(1);
  await api(page, `await pg.setSpeed(1)`);
});

test('clicking an arrow, or Enter on it, opens that packet in the Packets tool', async ({ page }) => {
  await start(page);
  await createConnected(page, [['Sensor 1', 5, true]]);
  await publish(page, 'Sensor 1', 'sensor/1/temperature', 1, '17.2');
  const diagram = await openDiagram(page);
  const arrow = diagram.getByRole('button', { name: /^PUBLISH sensor\/1\/temperature QoS 1 id \d+ from Sensor 1 to broker$/ });
  await expect(arrow).toHaveCount(1);
  const seq = Number(await arrow.getAttribute('data-seq'));
  await arrow.click();
  await expect(page.getByRole('tab', { name: 'Packets' })).toHaveAttribute('aria-selected', 'true');
  expect(await page.evaluate('globalThis.__uiStore.inspected')).toBe(seq);

  // from the keyboard: Up/Down move between arrows, Enter opens the one with focus
  await page.getByRole('tab', { name: 'Diagram' }).click();
  const first = diagram.locator('path.arrow[tabindex="0"]');
  await first.focus();
  await page.keyboard.press('ArrowDown');
  const focused = page.locator('path.arrow:focus');
  await expect(focused).toHaveCount(1);
  const next = Number(await focused.getAttribute('data-seq'));
  expect(next).toBeGreaterThan(Number(await diagram.locator('path.arrow').first().getAttribute('data-seq')));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('tab', { name: 'Packets' })).toHaveAttribute('aria-selected', 'true');
  expect(await page.evaluate('globalThis.__uiStore.inspected')).toBe(next);
});

test('the diagram exports as a standalone SVG file', async ({ page }) => {
  await start(page);
  await createConnected(page, [['Sensor 1', 5, true]]);
  await publish(page, 'Sensor 1', 'sensor/1/temperature', 1);
  await openDiagram(page);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export SVG' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^mqtt-sequence.*\.svg$/);
  const svg = readFileSync((await file.path())!, 'utf8');
  expect(svg).toMatch(/^<\?xml/);
  expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
  expect(svg).toContain('PUBLISH sensor/1/temperature Q1 #1');
  expect(svg).toContain('Sensor 1');
  // colours written in, no stylesheet needed
  expect(svg).not.toContain('var(--');
  expect(svg).toMatch(/stroke="rgb\(/);
});

test('lanes: chosen from the connections, scrolled sideways inside the panel when they overflow', async ({ page }) => {
  await start(page);
  await createConnected(page, [['One', 5, true], ['Two', 5, true], ['Three', 5, true], ['Four', 5, true], ['Five', 5, true]]);
  const diagram = await openDiagram(page);
  await expect(diagram.locator('text.lane')).toHaveText(['One', 'Two', 'Three', 'Broker', 'Four', 'Five']);
  // wider than the column: it scrolls inside the panel, not the page
  expect(await diagram.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);

  await page.getByRole('button', { name: /^Lanes/ }).click();
  await page.getByRole('checkbox', { name: 'Three' }).uncheck();
  await expect(page.getByRole('checkbox', { name: /^Automatic/ })).not.toBeChecked();
  await expect(diagram.locator('text.lane')).toHaveText(['One', 'Two', 'Broker', 'Four', 'Five']);
  await expect(diagram.locator('path.arrow[data-link="Three"]')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(page.getByRole('checkbox', { name: 'Three' })).toBeHidden();
});

test('a long capture: only the arrows around the view are drawn, and scrolling brings the others', async ({ page }) => {
  await start(page);
  await createConnected(page, [['Subscriber', 5, true], ['Publisher', 5, true]]);
  await subscribe(page, 'Subscriber', 'load/#', 0);
  // open first: while a packet view is open the page takes a flood whole
  const diagram = await openDiagram(page);
  await api(page, `const enc = new TextEncoder();
    for (let i = 0; i < 1500; i++) await pg.publish('Publisher', { topic: 'load/' + (i % 10), payload: enc.encode(String(i)), qos: 0, retain: false });`);
  // every PUBLISH in and out: 3,000 of them and the connections' packets, all in the page
  await expect.poll(() => page.evaluate('globalThis.__uiStore.capture.entries.filter((e) => e.kind === "frame").length')).toBeGreaterThanOrEqual(3006);
  const drawn = () => diagram.locator('path.arrow').count();
  await expect.poll(drawn).toBeGreaterThan(0);
  expect(await drawn()).toBeLessThan(600);
  // following: the newest are drawn; at the top, the first CONNECT is
  await expect(diagram.locator('path.arrow[data-type="publish"]').last()).toBeInViewport();
  await diagram.evaluate((el) => (el.scrollTop = 0));
  await expect(diagram.locator('path.arrow[data-type="connect"]').first()).toBeInViewport();
  expect(await drawn()).toBeLessThan(600);
});

for (const theme of ['light', 'dark'] as const) {
  test(`the diagram passes axe in the ${theme} theme at 1024 px`, async ({ page }) => {
    await start(page);
    await page.getByLabel('Theme').selectOption(theme);
    await createConnected(page, [['Subscriber', 4, false], ['Publisher', 5, true]]);
    await subscribe(page, 'Subscriber', 'alarm/#', 1);
    await api(page, `await pg.cut('Subscriber')`);
    await publish(page, 'Publisher', 'alarm/door', 2);
    const diagram = await openDiagram(page);
    await expect(diagram.locator('path.arrow[data-state="lost"]')).toHaveCount(1);
    await expect(diagram.locator('g.span[data-kind="keepalive"]')).not.toHaveCount(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: /^Lanes/ }).click();
    expect(await seriousViolations(page)).toEqual([]);
  });
}
