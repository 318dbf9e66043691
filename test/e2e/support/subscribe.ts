import { expect, type Page } from '@playwright/test';

/** "New Subscription" on the selected connection, as a learner does it: Topic, QoS, Subscribe. */
export async function subscribe(page: Page, topic: string, qos: '0' | '1' | '2' = '0'): Promise<void> {
  await page.getByRole('button', { name: 'New Subscription' }).click();
  const dialog = page.getByRole('dialog', { name: 'New Subscription' });
  await dialog.getByLabel('Topic').fill(topic);
  await dialog.getByLabel('QoS').selectOption(qos);
  await dialog.getByRole('button', { name: 'Subscribe' }).click();
  await expect(dialog).toBeHidden();
}
