import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { api } from './support/page-api';

/** Two sensors publishing {"msg": "17.2"} to sensor/1/temperature and sensor/2/temperature. */
async function startSensors(page: Page): Promise<void> {
  await api(page, `
    const r = await pg.startSensors({ name: 'Sensor', count: 2, topic: 'sensor/{i}/temperature', intervalMs: 200, qos: 0, retain: false, version: 4, format: 'msg' });
    if (!r.ok) throw new Error(r.error);
  `);
  await expect
    .poll(() => api<string[]>(page, `return (await pg.topics()).topics.map((t) => t.topic)`))
    .toEqual(expect.arrayContaining(['sensor/1/temperature', 'sensor/2/temperature']));
}

async function open(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByTestId('worker-state')).toHaveText(/Running in a Web Worker/);
}

test('the topic tree shows the sensors, opens with the keyboard, and shows a topic’s history', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await open(page);
  await startSensors(page);

  await page.getByRole('tab', { name: 'Topics' }).click();
  const tree = page.getByRole('tree', { name: 'Topic tree' });
  const sensor = tree.getByRole('treeitem', { name: /^sensor/ });
  await expect(sensor).toHaveAttribute('aria-expanded', 'false');
  await expect(sensor).toHaveAttribute('aria-level', '1');

  // the tree is one tab stop; focusing it puts the cursor on the first row
  await tree.focus();
  await expect(sensor).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowRight');
  await expect(sensor).toHaveAttribute('aria-expanded', 'true');
  const one = tree.getByRole('treeitem', { name: /^1\b/ });
  const two = tree.getByRole('treeitem', { name: /^2\b/ });
  await expect(one).toHaveAttribute('aria-level', '2');
  await expect(two).toHaveAttribute('aria-posinset', '2');
  await page.keyboard.press('ArrowDown');
  await expect(one).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowRight'); // opens sensor/1
  await page.keyboard.press('ArrowRight'); // moves to its first child
  const temperature = tree.getByRole('treeitem', { name: /^temperature/ });
  await expect(temperature).toHaveCount(1);
  await expect(temperature).toHaveAttribute('aria-selected', 'true');
  await expect(temperature).toHaveAttribute('aria-level', '3');
  await expect(temperature).not.toHaveAttribute('aria-expanded');
  // last value and count
  await expect(temperature).toContainText(/\{"msg": "-?\d+\.\d"\}/);
  await expect(temperature.locator('.count')).toHaveText(/messages:\s*[1-9]\d*/);
  // the parent counts its own messages and those below
  const sensorCount = Number((await sensor.locator('.count').textContent())!.replace(/\D/g, ''));
  expect(sensorCount).toBeGreaterThan(1);

  // selecting shows the details: the last value pretty-printed and the history growing
  const details = page.getByRole('region', { name: 'sensor/1/temperature' });
  await expect(details.locator('pre')).toContainText('"msg":');
  const history = details.getByRole('list', { name: 'History' });
  await expect.poll(() => history.getByRole('listitem').count()).toBeGreaterThan(1);
  await expect(history.getByRole('listitem').first()).toContainText(/sensor_1_/);
  await expect(details.getByRole('img', { name: /msg: \d+ values/ })).toBeVisible();

  // left goes to the parent, left again closes it; Home goes to the top
  await page.keyboard.press('ArrowLeft');
  await expect(one).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowLeft');
  await expect(one).toHaveAttribute('aria-expanded', 'false');
  await expect(temperature).toHaveCount(0);
  await page.keyboard.press('End');
  await expect(two).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Home');
  await expect(sensor).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('region', { name: 'sensor' })).toBeVisible();

  // the filter takes MQTT wildcards and opens what matched
  await page.getByRole('searchbox', { name: 'Filter topics' }).fill('sensor/+/temperature');
  await expect(tree.getByRole('treeitem', { name: /^temperature/ })).toHaveCount(2);
  await page.getByRole('searchbox', { name: 'Filter topics' }).fill('no such topic');
  await expect(page.getByText('No topic matches “no such topic”.')).toBeVisible();
  expect(errors).toEqual([]);
});

test('a retained topic shows the marker, and a payload that is not text shows in hex', async ({ page }) => {
  await open(page);
  await api(page, `
    const r = await pg.createClient({ name: 'Door', clientId: 'door', host: 'in-page', version: 5, cleanStart: true, sessionExpiryInterval: 0, keepalive: 60, username: '', password: '', will: undefined, autoReconnect: false, reconnectPeriod: 4000 });
    if (!r.ok) throw new Error(r.error);
    await pg.connect('Door');
  `);
  await expect.poll(() => api(page, `return (await pg.clients())[0].status`)).toBe('connected');
  await api(page, `
    await pg.publish('Door', { topic: 'home/door', payload: new TextEncoder().encode('<b>open</b>'), qos: 1, retain: true });
    await pg.publish('Door', { topic: 'home/raw', payload: new Uint8Array([0xde, 0xad, 0x00, 0xef]), qos: 0, retain: false });
  `);

  await page.getByRole('tab', { name: 'Topics' }).click();
  await page.getByRole('searchbox', { name: 'Filter topics' }).fill('home');
  const tree = page.getByRole('tree', { name: 'Topic tree' });
  const door = tree.getByRole('treeitem', { name: /^door/ });
  await expect(door.locator('[title="Retained"]')).toBeVisible();
  // markup in a payload is text, never HTML
  await expect(door).toContainText('<b>open</b>');
  await expect(door.locator('b')).toHaveCount(0);
  const raw = tree.getByRole('treeitem', { name: /^raw/ });
  await expect(raw).toContainText('de ad 00 ef');
  await expect(raw.locator('[title="Retained"]')).toHaveCount(0);
  await door.click();
  const details = page.getByRole('region', { name: 'home/door' });
  await expect(details).toContainText('a retained message is kept');
  await expect(details.locator('pre')).toHaveText('<b>open</b>');
});

test('a chart draws two sensors, keeps its series across a reload, and loads uPlot only when needed', async ({ page }) => {
  const scripts: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'script') scripts.push(r.url());
  });
  await open(page);
  await startSensors(page);
  expect(scripts.filter((u) => /uPlot/i.test(u))).toEqual([]);

  await page.getByRole('tab', { name: 'Charts' }).click();
  const chart = page.getByRole('region', { name: 'Chart 1' });
  await chart.getByRole('button', { name: 'Add series…' }).click();
  await chart.getByLabel('Chart topic').fill('sensor/1/temperature');
  await chart.getByLabel('JSON field', { exact: true }).fill('msg');
  await chart.getByRole('button', { name: 'Add series', exact: true }).click();
  // an empty field is chosen from the last message: msg
  await chart.getByLabel('Chart topic').fill('sensor/2/temperature');
  await chart.getByRole('button', { name: 'Add series', exact: true }).click();

  const legend = chart.getByRole('list', { name: 'Legend' });
  await expect(legend.getByRole('listitem')).toHaveCount(2);
  await expect(legend.getByRole('listitem').nth(0)).toContainText('sensor/1/temperature');
  await expect(legend.getByRole('listitem').nth(1)).toContainText('sensor/2/temperature');
  await expect(legend.getByLabel('JSON field of sensor/2/temperature')).toHaveValue('msg');
  const plot = chart.getByRole('img', { name: 'Chart of sensor/1/temperature, sensor/2/temperature' });
  await expect(plot.locator('canvas')).toHaveCount(1);
  expect(scripts.filter((u) => /uPlot/i.test(u))).toHaveLength(1);
  // numbers arrive: each series shows its latest value
  await expect(legend.locator('output').nth(0)).toHaveText(/^-?\d+(\.\d+)?$/);
  await expect(legend.locator('output').nth(1)).toHaveText(/^-?\d+(\.\d+)?$/);
  const box = await plot.locator('canvas').boundingBox();
  expect(box!.width).toBeGreaterThan(200);

  // pause and clear
  await chart.getByRole('button', { name: 'Pause' }).click();
  await expect(chart.getByRole('button', { name: 'Resume' })).toHaveAttribute('aria-pressed', 'true');
  await chart.getByRole('button', { name: 'Clear chart' }).click();
  await expect(legend.locator('output').nth(0)).toHaveText('–');
  await chart.getByRole('button', { name: 'Resume' }).click();
  await expect(legend.locator('output').nth(0)).toHaveText(/^-?\d+(\.\d+)?$/);

  // the theme change draws the chart again, in the theme's colours
  await page.evaluate(() => (document.documentElement.dataset.theme = 'dark'));
  await expect(plot.locator('canvas')).toHaveCount(1);

  // the series are kept in the workspace
  await expect
    .poll(() => api(page, `return (await pg.workspaceGet('charts'))?.charts?.[0]?.series`))
    .toEqual([
      { topic: 'sensor/1/temperature', field: 'msg' },
      { topic: 'sensor/2/temperature', field: 'msg' },
    ]);
  await page.reload();
  // the layout comes back with the worker: the Charts tool open again (the Broker tool, with the worker's state, is shown until then)
  await expect(page.getByRole('tab', { name: 'Charts' })).toHaveAttribute('aria-selected', 'true');
  const again = page.getByRole('region', { name: 'Chart 1' }).getByRole('list', { name: 'Legend' });
  await expect(again.getByRole('listitem')).toHaveCount(2);
  await expect(again.getByRole('listitem').nth(1)).toContainText('sensor/2/temperature');
});

test('the Topics and Charts tools pass axe and fit the column, light and dark, at 1024 px', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await open(page);
  await startSensors(page);
  const tools = page.getByRole('region', { name: 'Tools' });

  await page.getByRole('tab', { name: 'Topics' }).click();
  await page.getByRole('button', { name: 'Expand all' }).click();
  await page.getByRole('tree', { name: 'Topic tree' }).getByRole('treeitem', { name: /^temperature/ }).first().click();
  await expect(page.getByRole('list', { name: 'History' })).toBeVisible();
  await page.getByRole('tab', { name: 'Charts' }).click();
  const chart = page.getByRole('region', { name: 'Chart 1' });
  await chart.getByRole('button', { name: 'Add series…' }).click();
  await chart.getByLabel('Chart topic').fill('sensor/1/temperature');
  await chart.getByRole('button', { name: 'Add series', exact: true }).click();
  await expect(chart.locator('canvas')).toHaveCount(1);

  for (const theme of ['light', 'dark'] as const) {
    await page.getByLabel('Theme').selectOption(theme);
    for (const tab of ['Topics', 'Charts'] as const) {
      await page.getByRole('tab', { name: tab }).click();
      if (tab === 'Topics') await expect(page.getByRole('list', { name: 'History' })).toBeVisible();
      else await expect(page.getByRole('region', { name: 'Chart 1' }).locator('canvas')).toHaveCount(1);
      expect(await tools.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
      const results = await new AxeBuilder({ page }).include('section[aria-label="Tools"]').analyze();
      expect(results.violations.map((v) => `${theme}/${tab}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    }
  }
});
