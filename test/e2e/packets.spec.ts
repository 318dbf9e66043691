import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { api, status } from './support/page-api';

/** A 3.1.1 publisher and a 5.0 subscriber to sensor/+/temp, both connected. */
async function twoClients(page: Page): Promise<void> {
  await api(page, `
    check(await pg.createClient(cfg('Pub', 'pub-1', { version: 4 })));
    check(await pg.createClient(cfg('Sub', 'sub-1')));
    check(await pg.connect('Pub'));
    check(await pg.connect('Sub'));
  `);
  await expect.poll(() => status(page, 'Pub')).toBe('connected');
  await expect.poll(() => status(page, 'Sub')).toBe('connected');
  await api(page, `check(await pg.subscribeTopic('Sub', { topicFilter: 'sensor/+/temp', qos: 1 }))`);
  await expect.poll(() => api(page, `return (await pg.clients()).find((c) => c.name === 'Sub').subscriptions[0].state`)).toBe('active');
}

const log = (page: Page) => page.getByRole('grid', { name: 'Packet log' });
const rows = (page: Page) => log(page).locator('[role="row"][data-seq]');
const tree = (page: Page) => page.getByRole('tree', { name: 'Fields' });
const dump = (page: Page) => page.getByTestId('hex-dump');
/** The log's rows of frames of `type` on the connection `client`. */
const frames = (page: Page, client: string, type: string) =>
  rows(page).filter({ has: page.locator('.client', { hasText: new RegExp(`^${client}$`) }) }).filter({ has: page.locator('.type', { hasText: new RegExp(`^${type}$`) }) });

/** The bytes [start, end) of the frame that the marks of class `cls` cover in the hex column, as offsets. */
async function marked(page: Page, cls: string): Promise<number[]> {
  return dump(page).locator(`.hex mark.${cls}`).evaluateAll((marks) => {
    const out: number[] = [];
    for (const m of marks as HTMLElement[]) for (let b = Number(m.dataset.start); b < Number(m.dataset.end); b++) out.push(b);
    return out;
  });
}

/** The text of the hex cells the marks of class `cls` cover, spaces squeezed. */
async function markedHex(page: Page, cls: string): Promise<string> {
  const parts = await dump(page).locator(`.hex mark.${cls}`).allTextContents();
  return parts.join(' ').replace(/\s+/g, ' ').trim();
}

/** Where byte `offset` of the frame is in the hex column, on the screen. */
async function bytePoint(page: Page, offset: number): Promise<{ x: number; y: number }> {
  const line = dump(page).locator(`[data-row="${Math.floor(offset / 16)}"] .hex`);
  await line.scrollIntoViewIfNeeded();
  const box = (await line.boundingBox())!;
  const col = offset % 16;
  const char = col * 3 + (col >= 8 ? 1 : 0);
  const cw = box.width / 48;
  return { x: box.x + (char + 1) * cw, y: box.y + box.height / 2 };
}

/** Clicks byte `offset` of the frame in the hex column. */
async function clickByte(page: Page, offset: number): Promise<void> {
  const p = await bytePoint(page, offset);
  await page.mouse.click(p.x, p.y);
}

/** Drags over the bytes from `from` to `to` in the hex column. */
async function dragBytes(page: Page, from: number, to: number): Promise<void> {
  const a = await bytePoint(page, from);
  const b = await bytePoint(page, to);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2);
  await page.mouse.move(b.x, b.y);
  await page.mouse.up();
}

const range = (start: number, end: number) => Array.from({ length: end - start }, (_, i) => start + i);

async function openPackets(page: Page): Promise<void> {
  await page.getByRole('tab', { name: 'Packets', exact: true }).click();
  await expect(log(page)).toBeVisible();
}

async function select(row: Locator): Promise<void> {
  await row.click();
  await expect(row).toHaveAttribute('aria-selected', 'true');
}

test.beforeEach(async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto('/');
  await expect(page.getByTestId('worker-state')).toHaveText(/Running in a Web Worker/);
});

test('a PUBLISH in the log, its fields and bytes in the inspector', async ({ page }) => {
  await twoClients(page);
  await openPackets(page);
  await api(page, `check(await pg.publish('Pub', { topic: 'sensor/1/temp', payload: enc('21.5'), qos: 1, retain: false }))`);

  // the PUBLISH from Pub to the broker, its PUBACK, and the copy to Sub
  const publish = frames(page, 'Pub', 'PUBLISH');
  await expect(publish).toHaveCount(1);
  await expect(publish).toContainText('QoS 1');
  await expect(publish.locator('.dir')).toHaveAttribute('title', 'client → broker');
  // 1 + 1 + (2 + 13) + 2 + 4 = 23 bytes in 3.1.1
  await expect(publish.locator('.num')).toHaveText('23');
  await expect(frames(page, 'Sub', 'PUBLISH')).toHaveCount(1);
  // the broker's decision, in words, between the frames
  await expect(log(page).locator('.event', { hasText: 'message from pub-1 to sensor/1/temp routed to 1 subscriber' })).toHaveCount(1);

  await select(publish);
  const inspector = page.getByTestId('inspector');
  await expect(inspector.getByRole('heading', { level: 2 })).toContainText('PUBLISH');
  await expect(tree(page).getByRole('treeitem', { name: /^Topic Name/ })).toBeVisible();
  await expect(inspector).toHaveAttribute('data-open-ms', /\d/);

  // hovering the topic field highlights exactly its bytes: the length (2) and the 13 characters
  await tree(page).getByRole('treeitem', { name: /^Topic Name/ }).hover();
  expect(await marked(page, 'hover')).toEqual(range(2, 17));
  expect(await markedHex(page, 'hover')).toBe('00 0d 73 65 6e 73 6f 72 2f 31 2f 74 65 6d 70');
  await page.mouse.move(0, 0);
  await expect(dump(page).locator('mark.hover')).toHaveCount(0);

  // a click on a byte of the packet identifier selects that field
  await clickByte(page, 18);
  const pid = tree(page).getByRole('treeitem', { name: /^Packet Identifier/ });
  await expect(pid).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('field-details').getByRole('heading')).toHaveText('Packet Identifier');
  expect(await marked(page, 'field')).toEqual([17, 18]);

  // dragging over bytes selects the smallest field that holds them all
  await dragBytes(page, 5, 9);
  await expect(tree(page).getByRole('treeitem', { name: /^Characters/ })).toHaveAttribute('aria-selected', 'true');
  expect(await marked(page, 'range')).toEqual(range(5, 10));
  await expect(page.getByTestId('field-details')).toContainText('selected 5–9 (5 bytes)');
  await dragBytes(page, 16, 18);
  await expect(tree(page).getByRole('treeitem', { name: /^Variable Header/ })).toHaveAttribute('aria-selected', 'true');
  // the arrow keys move a byte cursor through the dump
  await dump(page).press('ArrowRight');
  await expect(page.getByTestId('field-details').getByRole('heading')).toHaveText('Packet Identifier');

  // the remaining length explains its arithmetic, the first byte its flags
  await tree(page).getByRole('treeitem', { name: /^Remaining Length/ }).click();
  await expect(page.getByTestId('field-details')).toContainText('= 21');
  await tree(page).getByRole('treeitem', { name: /^Packet Type and Flags/ }).click();
  await expect(page.getByTestId('field-details')).toContainText('.... .01.');
  await expect(page.getByTestId('field-details')).toContainText('MQTT 3.1.1 §2.2.1');

  // the keyboard walks the tree, and the log
  await tree(page).press('ArrowDown');
  await expect(tree(page).getByRole('treeitem', { name: /^Remaining Length/ })).toHaveAttribute('aria-selected', 'true');
  await log(page).focus();
  const before = Number(await publish.getAttribute('data-seq'));
  await log(page).press('ArrowDown');
  await expect(log(page).locator('[aria-selected="true"]')).not.toHaveAttribute('data-seq', String(before));
  await log(page).press('ArrowUp');
  await expect(publish).toHaveAttribute('aria-selected', 'true');
});

test('every frame of the capture opens in the inspector, whatever its type and size', async ({ page }) => {
  await twoClients(page);
  await openPackets(page);
  await api(page, `
    check(await pg.publish('Pub', { topic: 'sensor/1/temp', payload: enc('21.5'), qos: 1, retain: false }));
    check(await pg.publish('Sub', { topic: 'big/one', payload: new Uint8Array(65536).fill(65), qos: 1, retain: false,
      properties: { contentType: 'text/plain', userProperties: [['a', 'b'], ['c', 'd']], messageExpiryInterval: 60 } }));
    check(await pg.sendRaw('Pub', Uint8Array.of(0x36, 0x02, 0x00, 0x01)));
  `);
  await expect(log(page).locator('[role="row"][data-seq].bad')).toHaveCount(1);
  const seqs = await rows(page).evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.seq)));
  const inspector = page.getByTestId('inspector');
  // how long each took is for the benchmark (npm run bench:packets), not for a test on a shared machine
  for (const seq of seqs) {
    await page.evaluate((s) => (globalThis as unknown as { __uiStore: { inspect(s: number): void } }).__uiStore.inspect(s), seq);
    await expect(inspector.getByRole('heading', { level: 2 })).toContainText(`#${seq}`);
    await expect(tree(page).getByRole('treeitem').first()).toBeVisible();
  }
  // the 64 KiB payload is in the dump, to its last line
  const big = rows(page).filter({ hasText: 'big/one' }).first();
  await select(big);
  await expect(dump(page)).toContainText('AAAAAAAAAAAAAAAA');
});

test('a malformed frame shows where it breaks and why', async ({ page }) => {
  await twoClients(page);
  await openPackets(page);
  // a PUBLISH with both QoS bits set: QoS 3 does not exist
  await api(page, `check(await pg.sendRaw('Pub', Uint8Array.of(0x36, 0x02, 0x00, 0x01)))`);
  const bad = log(page).locator('[role="row"][data-seq].bad');
  await expect(bad).toHaveCount(1);
  await expect(bad).toContainText('QoS 3');
  await select(bad);
  const banner = page.getByTestId('malformed');
  await expect(banner).toContainText('Malformed packet');
  await expect(banner).toContainText('QoS 3 does not exist');
  await expect(banner).toContainText('It breaks at byte 0, in the field "Packet Type and Flags".');
  await expect(banner).toContainText('2 bytes after it were not decoded.');
  // the failing field is selected and marked, the bytes after it too
  await expect(tree(page).getByRole('treeitem', { name: /^Packet Type and Flags/ })).toHaveAttribute('aria-selected', 'true');
  expect(await marked(page, 'error')).toEqual([0]);
  expect(await marked(page, 'rest')).toEqual([2, 3]);
  await expect(page.getByTestId('field-details')).toContainText('.... .11.');
  // the broker's answer: a 3.1.1 broker closes the connection
  await expect(log(page).locator('.event', { hasText: 'broke the protocol' })).toHaveCount(1);
});

test('a frame lost on a pulled cable is marked, in the log and in the inspector', async ({ page }) => {
  await twoClients(page);
  await openPackets(page);
  await api(page, `check(await pg.cut('Sub')); check(await pg.publish('Sub', { topic: 'into/the/void', payload: enc('x'), qos: 0, retain: false }))`);
  const lost = log(page).locator('[role="row"][data-seq].lost');
  await expect(lost).toHaveCount(1);
  await expect(lost).toContainText('into/the/void');
  await expect(lost.locator('.marks')).toHaveAttribute('aria-label', /^Lost: /);
  await select(lost);
  await expect(page.getByTestId('inspector')).toContainText('Lost: ');
  // the time column can show real time instead of the simulation's
  await expect(log(page).getByRole('columnheader', { name: 'Time' })).toBeVisible();
  await page.getByLabel('Wall clock').check();
  await expect(log(page).getByRole('columnheader', { name: 'Wall time' })).toBeVisible();
});

test('filters: client, type, topic with wildcards, text, decisions; follow and pause; clear', async ({ page }) => {
  await twoClients(page);
  await openPackets(page);
  await api(page, `
    check(await pg.publish('Pub', { topic: 'sensor/1/temp', payload: enc('21.5'), qos: 0, retain: false }));
    check(await pg.publish('Pub', { topic: 'sensor/2/hum', payload: enc('40'), qos: 0, retain: false }));
    check(await pg.publish('Sub', { topic: 'other/thing', payload: enc('x'), qos: 1, retain: false }));
  `);
  await expect(rows(page).filter({ hasText: 'other/thing' })).toHaveCount(1);
  const types = () => rows(page).locator('.type').allTextContents();
  const clients = () => rows(page).locator('.client').allTextContents();

  const filters = page.getByRole('group', { name: 'Packet log filters' });
  await filters.getByLabel('Type').selectOption('publish');
  await expect.poll(types).toEqual(['PUBLISH', 'PUBLISH', 'PUBLISH', 'PUBLISH']);
  await filters.getByLabel('Client').selectOption('Sub');
  await expect.poll(clients).toEqual(['Sub', 'Sub']);
  await filters.getByLabel('Client').selectOption('');
  await filters.getByLabel('Type').selectOption('');

  await filters.getByLabel('Topic').fill('sensor/+/temp');
  await expect.poll(async () => (await rows(page).locator('.summary').allTextContents()).every((s) => s.startsWith('sensor/1/temp'))).toBe(true);
  await expect(rows(page)).toHaveCount(2);
  await expect(log(page).locator('.event')).toHaveCount(1);
  await filters.getByLabel('Topic').fill('sensor/#');
  await expect(rows(page)).toHaveCount(3);
  await filters.getByLabel('Topic').fill('a/#/b');
  await expect(page.getByText('"#" must be the last level')).toBeVisible();
  await filters.getByLabel('Topic').fill('');

  await filters.getByLabel('Text').fill('suback');
  await expect.poll(types).toEqual(['SUBACK']);
  await filters.getByLabel('Text').fill('');
  await filters.getByLabel('Broker decisions').uncheck();
  await expect(log(page).locator('.event')).toHaveCount(0);
  await filters.getByLabel('Broker decisions').check();
  await expect(log(page).locator('.event').first()).toBeVisible();

  // pause: new frames wait behind the Follow button
  const follow = page.getByTestId('follow');
  await expect(follow).toHaveAttribute('aria-pressed', 'true');
  await follow.click();
  await expect(follow).toHaveAttribute('aria-pressed', 'false');
  const shown = await rows(page).count();
  await api(page, `check(await pg.publish('Pub', { topic: 'late/one', payload: enc('1'), qos: 0, retain: false }))`);
  await expect(follow).toHaveText(/Follow \(\d+ new\)/);
  await expect(rows(page)).toHaveCount(shown);
  await follow.click();
  await expect(rows(page).filter({ hasText: 'late/one' }).first()).toBeVisible();

  await page.getByRole('button', { name: 'Clear', exact: true }).click();
  await expect(page.getByText('No packets yet.')).toBeVisible();
  await expect.poll(() => api(page, `return (await pg.captureRange(0, 1e9)).length`)).toBe(0);
});

test('a flood of 10,000 frames: all of them in the log, only the rows in view in the page, the keyboard from end to end', async ({ page }) => {
  await twoClients(page);
  await openPackets(page);
  // 5,000 PUBLISHes in and out, while the log is open
  await api(page, `for (let i = 0; i < 5000; i++) await pg.publish('Pub', { topic: 'sensor/' + (i % 10) + '/temp', payload: enc(String(i)), qos: 0, retain: false });`);
  await expect.poll(() => page.evaluate('globalThis.__uiStore.capture.entries.filter((e) => e.kind === "frame").length'), { timeout: 20_000 }).toBeGreaterThanOrEqual(10_000);
  expect(await page.evaluate('globalThis.__uiStore.capture.skipped')).toBe(0);
  expect(await rows(page).count()).toBeLessThan(80);
  // following: the newest row is in view; Home goes to the first frame, End back to the last
  await expect(rows(page).last()).toBeInViewport();
  await log(page).focus();
  await log(page).press('Home');
  await expect(log(page).locator('[aria-selected="true"] .type')).toHaveText('CONNECT');
  await expect(log(page).locator('[aria-selected="true"]')).toBeInViewport();
  expect(await rows(page).count()).toBeLessThan(80);
  await log(page).press('End');
  await expect(log(page).locator('[aria-selected="true"]')).toBeInViewport();
  await expect(log(page).locator('[aria-selected="true"] .summary')).toContainText('sensor/9/temp');
});

/** Enhanced Packet Blocks (one a frame) in a pcapng file, after checking its Section Header Block. */
function pcapPackets(file: Buffer): number {
  expect(file.readUInt32LE(0)).toBe(0x0a0d0d0a);
  expect(file.readUInt32LE(8)).toBe(0x1a2b3c4d);
  let n = 0;
  for (let at = 0; at + 8 <= file.length; at += file.readUInt32LE(at + 4)) if (file.readUInt32LE(at) === 6) n++;
  return n;
}

test('Export pcap saves the capture as pcapng: all of it, or only the frames the log shows', async ({ page }) => {
  await twoClients(page);
  await openPackets(page);
  await api(page, `check(await pg.publish('Pub', { topic: 'sensor/1/temp', payload: enc('21.5'), qos: 1, retain: false }))`);
  await expect(rows(page).filter({ hasText: 'sensor/1/temp' })).toHaveCount(2);
  const exported = async (): Promise<number> => {
    const saving = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export pcap' }).click();
    const file = await saving;
    expect(file.suggestedFilename()).toMatch(/^mqtt-playground-.*\.pcapng$/);
    await expect(page.getByRole('status').filter({ hasText: file.suggestedFilename() })).toBeVisible();
    const { readFileSync } = await import('node:fs');
    return pcapPackets(readFileSync((await file.path())!));
  };
  // every frame, and the TCP handshakes and acknowledgements synthesised around them
  const frames = await rows(page).count();
  const all = await exported();
  expect(all).toBeGreaterThan(frames);

  // only the PUBLISH frames the log shows
  await page.getByRole('group', { name: 'Packet log filters' }).getByLabel('Type').selectOption('publish');
  await expect(rows(page)).toHaveCount(2);
  await page.getByText('Export options').click();
  await page.getByLabel('Only those the packet log shows (its filters)').check();
  const shown = await exported();
  expect(shown).toBeGreaterThanOrEqual(2);
  expect(shown).toBeLessThan(all);

  // a filter that shows nothing: said, and nothing saved
  await page.getByRole('group', { name: 'Packet log filters' }).getByLabel('Topic').fill('no/such/topic');
  await expect(rows(page)).toHaveCount(0);
  await page.getByRole('button', { name: 'Export pcap' }).click();
  await expect(page.getByRole('alert')).toContainText('The packet log shows no frames');
});

test('the byte budget of a QoS 1 PUBLISH: PUBLISH and PUBACK, the delivery, 3.1.1 and 5.0, and HTTP', async ({ page }) => {
  await twoClients(page);
  await openPackets(page);
  await api(page, `check(await pg.publish('Pub', { topic: 'sensor/1/temp', payload: enc('21.5'), qos: 1, retain: false }))`);
  const publish = frames(page, 'Pub', 'PUBLISH');
  await select(publish);
  await page.getByRole('tab', { name: 'Byte budget' }).click();
  const flow = page.getByTestId('budget-frames');
  await expect(flow.locator('tbody tr')).toHaveCount(4);
  const cells = async (i: number) => {
    const row = flow.locator('tbody tr').nth(i);
    const numbers = await row.locator('td.num').allTextContents();
    return [(await row.locator('th').textContent())!.replace(/\s+/g, ' ').trim(), await row.locator('.client').getAttribute('title'), ...numbers];
  };
  // PUBLISH 23 bytes: 19 of header, 4 of payload; PUBACK 4 bytes, all header (3.1.1)
  expect((await cells(0)).slice(0, 5)).toEqual(['PUBLISH the message', 'Pub: client → broker', '23', '19', '4']);
  expect((await cells(1)).slice(0, 5)).toEqual(['PUBACK acknowledgement', 'Pub: broker → client', '4', '4', '0']);
  expect((await cells(2)).slice(0, 2)).toEqual(['PUBLISH delivered', 'Sub: broker → client']);
  expect((await cells(3)).slice(0, 2)).toEqual(['PUBACK delivery acknowledged', 'Sub: client → broker']);
  await expect(flow.locator('tfoot')).toContainText('Sender ↔ broker');
  await expect(flow.locator('tfoot tr').first()).toContainText('27');

  const versions = page.getByTestId('budget-versions');
  await expect(versions).toContainText('MQTT 3.1.1: 23 B (19 header + 4 payload)');
  await expect(versions).toContainText('MQTT 5.0: 24 B (20 header + 4 payload)');

  const http = page.getByTestId('budget-http');
  await expect(http).toContainText('POST /topics/sensor/1/temp HTTP/1.1');
  await expect(http).toContainText('Host: broker.example');
  await expect(http).toContainText('Content-Type: application/json');
  await expect(http).toContainText('Content-Length: 4');
  await expect(http).toContainText('HTTP/1.1 200 OK');
  await expect(http).toContainText(/MQTT 27 bytes against HTTP \d+ bytes: HTTP needs \d+\.\d×/);

  // a frame of the flow opens in the inspector
  await flow.getByRole('button', { name: 'PUBACK' }).first().click();
  await expect(page.getByTestId('inspector').getByRole('heading', { level: 2 })).toContainText('PUBACK');
});

test('axe finds nothing serious at 1024 px, light and dark, and nothing sticks out sideways', async ({ page }) => {
  await twoClients(page);
  await openPackets(page);
  await api(page, `
    check(await pg.publish('Pub', { topic: 'sensor/1/temp', payload: enc('21.5'), qos: 1, retain: false }));
    check(await pg.sendRaw('Pub', Uint8Array.of(0x36, 0x02, 0x00, 0x01)));
  `);
  await select(frames(page, 'Pub', 'PUBLISH').first());
  await tree(page).getByRole('treeitem', { name: /^Topic Name/ }).click();
  for (const theme of ['light', 'dark'] as const) {
    await page.evaluate((t) => document.documentElement.setAttribute('data-theme', t), theme);
    for (const tab of ['Bytes', 'Byte budget']) {
      await page.getByRole('tab', { name: tab, exact: true }).click();
      const results = await new AxeBuilder({ page }).include('section[aria-label="Tools"]').analyze();
      const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      for (const v of bad) console.log(v.id, JSON.stringify(v.nodes.map((n) => [n.target, n.failureSummary])));
      expect(bad.map((v) => `${theme}/${tab}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    }
  }
  await select(log(page).locator('[role="row"][data-seq].bad'));
  const results = await new AxeBuilder({ page }).include('section[aria-label="Tools"]').analyze();
  for (const v of results.violations) console.log(v.id, JSON.stringify(v.nodes.map((n) => [n.target, n.failureSummary])));
  expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  // the export options, open
  await page.getByText('Export options').click();
  await expect(page.getByRole('group', { name: 'Frames' })).toBeVisible();
  const options = await new AxeBuilder({ page }).include('.export-pcap').analyze();
  expect(options.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  await page.keyboard.press('Escape');
  await expect(page.getByRole('group', { name: 'Frames' })).toBeHidden();
  // at 1024 px the page does not scroll sideways, and the hex dump fits its pane
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
  expect(await dump(page).evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
  await page.screenshot({ path: 'test-results/packets-1024.png' });
});
