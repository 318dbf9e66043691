/**
 * The Packet Lab against the built site: Monaco stays out of the first
 * JavaScript and loads when the tab opens; an example that breaks a rule is
 * sent on a 5.0 connection and the broker's DISCONNECT shows in the lab and
 * the capture; a PUBLISH typed as JSON is dissected as it is typed and
 * reaches a subscriber; a hex typo is reported and nothing is sent; axe
 * finds nothing serious.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { api } from './support/page-api';

const MONACO = /monaco|editor\.worker|json\.worker|jsonMode/;

/** Two 5.0 connections, connected: "Lab" to send on, "Sub" subscribed to lab/#. */
async function setUp(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByTestId('worker-state')).toHaveText(/Running in a Web Worker/);
  await api(page, `
    const cfg = (name, clientId) => ({ name, clientId, host: 'in-page', version: 5, cleanStart: true, sessionExpiryInterval: 0, keepalive: 60, username: '', password: '', will: undefined, autoReconnect: false, reconnectPeriod: 4000 });
    for (const [name, id] of [['Lab', 'lab'], ['Sub', 'sub']]) {
      const r = await pg.createClient(cfg(name, id));
      if (!r.ok) throw new Error(r.error);
      await pg.connect(name);
    }
  `);
  await expect.poll(() => api(page, `return (await pg.clients()).map((c) => c.status).join()`)).toBe('connected,connected');
  await api(page, `await pg.subscribeTopic('Sub', { topicFilter: 'lab/#', qos: 0 })`);
  await expect.poll(() => api(page, `return (await pg.clients()).find((c) => c.name === 'Sub').subscriptions[0]?.state`)).toBe('active');
}

async function openLab(page: Page): Promise<Locator> {
  await page.getByRole('tab', { name: 'Packet Lab' }).click();
  const lab = page.getByRole('tabpanel', { name: 'Packet Lab' });
  // Monaco replaces the plain text box once loaded
  await expect(lab.locator('.monaco-editor')).toBeVisible({ timeout: 20_000 });
  return lab;
}

/** Replaces the editor's text, as pasting would. */
async function typeInEditor(page: Page, editor: Locator, text: string): Promise<void> {
  await editor.focus();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

function framesFrom(page: Page, link: string): Promise<number> {
  return api(page, `return (await pg.captureRange(0, 1e9)).filter((e) => e.kind === 'frame' && e.link === ${JSON.stringify(link)} && e.dir === 'to-broker').length`);
}

test('Monaco is not in the first JavaScript, and loads only when the Packet Lab opens', async ({ page, request }) => {
  const requested: string[] = [];
  page.on('request', (r) => requested.push(r.url()));
  const html = await (await request.get('/')).text();
  const assets = [...html.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
  expect(assets.length).toBeGreaterThan(0);
  for (const a of assets) expect(a).not.toMatch(MONACO);
  for (const a of assets.filter((x) => x.endsWith('.js'))) {
    const js = await (await request.get(a)).text();
    expect(js).not.toContain('MonacoEnvironment');
    expect(js).not.toContain('editorWorkerService');
  }

  await setUp(page);
  await page.getByRole('tab', { name: 'Broker' }).click();
  await page.waitForTimeout(500);
  expect(requested.filter((u) => MONACO.test(u))).toEqual([]);

  await page.getByRole('tab', { name: 'Packet Lab' }).click();
  await expect(page.getByText(/Loading the editor…|Packet as JSON/).first()).toBeAttached();
  await expect(page.getByRole('tabpanel', { name: 'Packet Lab' }).locator('.monaco-editor')).toBeVisible({ timeout: 20_000 });
  expect(requested.some((u) => /monaco-[\w-]+\.js$/.test(u))).toBe(true);
});

test('the QoS 3 example on a 5.0 connection: the broker answers DISCONNECT 0x81, in the lab and in the capture', async ({ page }) => {
  await setUp(page);
  const lab = await openLab(page);
  await lab.getByLabel('Example', { exact: true }).selectOption({ label: 'PUBLISH with QoS 3' });
  const card = lab.getByTestId('lab-example');
  await expect(card).toContainText('[MQTT-3.3.1-4] §3.3.1.2');
  await expect(card).toContainText('DISCONNECT 0x81 Malformed Packet');
  await expect(lab.getByLabel('Protocol version')).toHaveValue('5');
  // the JSON is encoded as written (first byte 0x36) and dissected with the error
  await expect(lab.getByTestId('lab-bytes')).toContainText(/^0000\s*36 /);
  await expect(lab.getByTestId('lab-verdict')).toContainText('decode fails with 0x81');
  await expect(lab.getByRole('list', { name: 'Dissection' })).toContainText('QoS 3 does not exist');

  await lab.getByLabel('Connection', { exact: true }).selectOption('Lab');
  await lab.getByRole('button', { name: 'Send packet' }).click();
  const outcome = lab.getByTestId('lab-outcome');
  await expect(outcome).toContainText('The broker sent DISCONNECT 0x81 Malformed Packet and closed the connection.');
  await expect(outcome).toContainText(/Reason String: “.*QoS 3 does not exist/);
  await expect(outcome).toContainText('As predicted.');
  const entries = lab.getByRole('list', { name: 'Frames and decisions after the send' });
  await expect(entries).toContainText('PUBLISH');
  await expect(entries).toContainText('DISCONNECT');

  // the capture has it, and the connection is closed
  const disconnects = await api<{ seq: number; reasonCode: number }[]>(page, `return (await pg.captureRange(0, 1e9)).filter((e) => e.kind === 'frame' && e.link === 'Lab' && e.dir === 'to-client' && e.type === 'disconnect').map((e) => ({ seq: e.seq, reasonCode: e.reasonCode }))`);
  expect(disconnects.map((d) => d.reasonCode)).toEqual([0x81]);
  await expect.poll(() => api(page, `return (await pg.clients()).find((c) => c.name === 'Lab').status`)).toBe('disconnected');
  await expect(lab.getByText('Lab is not connected: connect it to send.')).toBeVisible();
  await expect(lab.getByRole('button', { name: 'Connect Lab' })).toBeVisible();

  // the DISCONNECT is one click from the byte inspector
  await entries.getByRole('button', { name: `Inspect frame ${disconnects[0]!.seq}` }).click();
  await expect(page.getByRole('tab', { name: 'Packets' })).toHaveAttribute('aria-selected', 'true');

  // back in the lab, Connect brings the connection back
  await page.getByRole('tab', { name: 'Packet Lab' }).click();
  await page.getByRole('tabpanel', { name: 'Packet Lab' }).getByRole('button', { name: 'Connect Lab' }).click();
  await expect.poll(() => api(page, `return (await pg.clients()).find((c) => c.name === 'Lab').status`)).toBe('connected');
});

test('a valid PUBLISH typed as JSON is dissected as it is typed, and reaches a subscriber', async ({ page }) => {
  await setUp(page);
  const lab = await openLab(page);
  await lab.getByRole('radio', { name: 'JSON' }).check();
  const editor = lab.getByRole('textbox', { name: 'Packet as JSON' });
  const tree = lab.getByRole('list', { name: 'Dissection' });

  await typeInEditor(page, editor, '{"type": "publish", "topic": "lab/draft", "qos": 0, "retain": false, "dup": false, "payload": "typed by hand"}');
  await expect(tree).toContainText('"lab/draft"');
  await expect(lab.getByTestId('lab-verdict')).toContainText('decode reads a valid MQTT 5.0 packet.');
  // half-typed JSON: the error shows, then the next keystrokes fix it and the dissection follows
  await page.keyboard.press('Backspace');
  await expect(lab.getByTestId('lab-problems')).toContainText('Not valid JSON');
  await expect(lab.getByRole('button', { name: 'Send packet' })).toBeDisabled();
  await page.keyboard.type('}');
  await expect(lab.getByTestId('lab-problems')).not.toContainText('Not valid JSON');
  await typeInEditor(page, editor, '{"type": "publish", "topic": "lab/typed", "qos": 0, "retain": false, "dup": false, "payload": "typed by hand"}');
  await expect(tree).toContainText('"lab/typed"');
  await expect(tree).toContainText('"typed by hand"');
  await expect(lab.getByTestId('lab-bytes')).toContainText(/^0000\s*30 /);
  await expect(lab.getByTestId('lab-prediction')).toContainText('routes it to matching subscribers');

  await lab.getByLabel('Connection', { exact: true }).selectOption('Lab');
  await lab.getByRole('button', { name: 'Send packet' }).click();
  await expect(lab.getByTestId('lab-outcome')).toContainText('The broker routed the message to 1 subscriber.');
  await expect
    .poll(() => api(page, `return (await pg.messages('Sub')).filter((m) => m.direction === 'received').map((m) => m.topic + ' ' + new TextDecoder().decode(m.payload))`))
    .toEqual(['lab/typed typed by hand']);
  expect(await api(page, `return (await pg.clients()).find((c) => c.name === 'Lab').status`)).toBe('connected');
});

test('hex with a typo shows where, and nothing is sent', async ({ page }) => {
  await setUp(page);
  const lab = await openLab(page);
  await lab.getByLabel('Connection', { exact: true }).selectOption('Lab');
  await lab.getByRole('radio', { name: 'Hex' }).check();
  const editor = lab.getByRole('textbox', { name: 'Packet as hex' });
  const before = await framesFrom(page, 'Lab');

  await typeInEditor(page, editor, '30 0c 00 07 6c 61 62 2f 68 65 78 00\n6x 69 # payload "hi"');
  const problems = lab.getByTestId('lab-problems');
  await expect(problems).toContainText('"x" is not a hex digit. (line 2, column 2)');
  await expect(lab.locator('.monaco-editor .squiggly-error')).toHaveCount(1);
  const send = lab.getByRole('button', { name: 'Send packet' });
  await expect(send).toBeDisabled();
  await expect(lab.getByText('Nothing can be sent until the packet is fixed.')).toBeVisible();
  await editor.press('Enter');
  await page.waitForTimeout(300);
  expect(await framesFrom(page, 'Lab')).toBe(before);

  // fixed, it goes
  await typeInEditor(page, editor, '30 0c 00 07 6c 61 62 2f 68 65 78 00\n68 69 # payload "hi"');
  await expect(problems).not.toContainText('hex digit');
  await expect(send).toBeEnabled();
  await send.click();
  await expect(lab.getByTestId('lab-outcome')).toContainText('routed the message to 1 subscriber');
  expect(await framesFrom(page, 'Lab')).toBe(before + 1);
});

test('when Monaco cannot be loaded, the lab says so and the plain text box does the job', async ({ page }) => {
  await page.route(/\/assets\/monaco-[\w-]+\.js$/, (route) => route.abort());
  await setUp(page);
  await page.getByRole('tab', { name: 'Packet Lab' }).click();
  const lab = page.getByRole('tabpanel', { name: 'Packet Lab' });
  await expect(lab.getByRole('alert')).toContainText('The editor could not be loaded');
  await lab.getByRole('radio', { name: 'Hex' }).check();
  await lab.getByRole('textbox', { name: 'Packet as hex' }).fill('c0 00 # PINGREQ');
  await expect(lab.getByRole('list', { name: 'Dissection' })).toContainText('PINGREQ');
  await lab.getByLabel('Connection', { exact: true }).selectOption('Lab');
  await lab.getByRole('button', { name: 'Send packet' }).click();
  await expect(lab.getByTestId('lab-outcome')).toContainText('The broker answered: PINGRESP');
});

test('axe finds no serious or critical violations in the Packet Lab, light and dark', async ({ page }) => {
  await setUp(page);
  const lab = await openLab(page);
  await lab.getByLabel('Example', { exact: true }).selectOption({ label: 'A second CONNECT' });
  await lab.getByLabel('Connection', { exact: true }).selectOption('Lab');
  await lab.getByRole('button', { name: 'Send packet' }).click();
  await expect(lab.getByTestId('lab-outcome')).toContainText('DISCONNECT 0x82 Protocol Error');
  for (const theme of ['light', 'dark'] as const) {
    await page.getByLabel('Theme').selectOption(theme);
    // the editor follows the page's theme
    await expect(lab.locator('.monaco-editor')).toHaveClass(theme === 'dark' ? /vs-dark/ : /\bvs\b/);
    const results = await new AxeBuilder({ page }).include('section[aria-label="Tools"]').analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${theme}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  }
});
