/**
 * The page as a whole: the layout survives a reload, every view passes axe
 * (no serious or critical violations) in light and dark at 1024 px, the
 * dialogs work from the keyboard, and the console stays clean.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

async function seriousViolations(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).analyze();
  return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function noSidewaysScroll(page: Page): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
}

test.use({ viewport: { width: 1024, height: 768 } });

test('the tool and the connection chosen come back after a reload', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('worker-state')).toBeVisible();
  await page.evaluate(`(async (pg) => {
    for (const name of ['First', 'Second']) {
      const r = await pg.createClient({ name, clientId: name.toLowerCase(), host: 'in-page', version: 5, cleanStart: true, sessionExpiryInterval: 0, keepalive: 60, username: '', password: '', will: undefined, autoReconnect: false, reconnectPeriod: 4000 });
      if (!r.ok) throw new Error(r.error);
    }
  })(globalThis.mqttPlayground)`);
  await page.getByRole('navigation', { name: 'Connections' }).getByRole('button', { name: 'Second' }).click();
  await page.getByRole('tab', { name: 'Topics' }).click();
  await expect(page.getByRole('tab', { name: 'Topics' })).toHaveAttribute('aria-selected', 'true');
  // the layout is written after the change
  await expect.poll(() => page.evaluate(`globalThis.mqttPlayground.workspaceGet('layout')`)).toEqual({ tool: 'topics', selected: 'Second', wide: false });
  await page.reload();
  await expect(page.getByRole('tab', { name: 'Topics' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('heading', { level: 2, name: 'Second' })).toBeVisible();
});

for (const theme of ['light', 'dark'] as const) {
  test(`every view passes axe in the ${theme} theme at 1024 px, and the dialogs work from the keyboard`, async ({ page }) => {
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`${m.text()} @ ${m.location().url}`);
    });
    await page.goto('/');
    await expect(page.getByTestId('worker-state')).toBeVisible();
    await page.getByLabel('Theme').selectOption(theme);
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
    expect(await seriousViolations(page)).toEqual([]);

    // New Connection from the keyboard: focus the button, Enter opens, Escape closes
    await page.getByRole('button', { name: 'New Connection' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'New Connection' });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByLabel('Name', { exact: true })).toBeFocused();
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();

    // a connection with a subscription and messages, and the New Subscription dialog
    await page.getByRole('button', { name: 'New Connection' }).click();
    await dialog.getByLabel('Name', { exact: true }).fill('Simple Demo');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.getByRole('button', { name: 'New Subscription' }).click();
    const sub = page.getByRole('dialog', { name: 'New Subscription' });
    await sub.getByLabel('Topic').fill('sensor/#');
    expect(await seriousViolations(page)).toEqual([]);
    await sub.getByRole('button', { name: 'Subscribe' }).click();
    await expect(sub).toBeHidden();
    await page.getByLabel('Topic', { exact: true }).fill('sensor/1/temperature');
    await page.getByLabel('Payload', { exact: true }).fill('{"msg": "17.2"}');
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await expect(page.getByRole('log', { name: 'Messages' })).toContainText('17.2');
    expect(await seriousViolations(page)).toEqual([]);
    for (const tab of ['Broker', 'Topics', 'Charts']) {
      await page.getByRole('tab', { name: tab }).click();
      expect(await seriousViolations(page)).toEqual([]);
    }
    await noSidewaysScroll(page);
    expect(errors).toEqual([]);
  });
}
