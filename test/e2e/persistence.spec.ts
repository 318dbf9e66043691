import { expect, test, type Page } from '@playwright/test';
import { api } from './support/page-api';

/** The broker's sessions as IndexedDB holds them (the page shares the worker's origin). */
function storedSessions(page: Page): Promise<{ clientId: string; queued: unknown[] }[]> {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const req = indexedDB.open('mqtt-playground');
    req.onerror = () => reject(req.error);
    req.onsuccess = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains('sessions')) return resolve([]);
      const get = db.transaction('sessions').objectStore('sessions').getAll();
      get.onsuccess = () => resolve(get.result);
      get.onerror = () => reject(get.error);
    };
  }));
}

test('a reload keeps the connections, a persistent session with its queued message, and retained messages', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('worker-state')).toHaveText(/Running in a Web Worker/);
  expect(await api(page, 'return (await pg.status()).storage.kind')).toBe('indexeddb');

  await api(page, `
    const cfg = (name, clientId, version, cleanStart) => ({ name, clientId, host: 'in-page', version, cleanStart, sessionExpiryInterval: 0, keepalive: 60, username: '', password: '', will: undefined, autoReconnect: false, reconnectPeriod: 4000 });
    for (const r of [await pg.createClient(cfg('MQTT V3', 'mqtt_v3', 4, false)), await pg.createClient(cfg('MQTT_V3_Publish', 'mqtt_v3_pub', 4, true))]) if (!r.ok) throw new Error(r.error);
    await pg.connect('MQTT V3');
    await pg.connect('MQTT_V3_Publish');
  `);
  await expect.poll(() => api(page, `return (await pg.clients()).map((c) => c.status).join()`)).toBe('connected,connected');
  await api(page, `await pg.subscribeTopic('MQTT V3', { topicFilter: 'clean_session_false', qos: 1 })`);
  await expect.poll(() => api(page, `return (await pg.clients())[0].subscriptions[0].state`)).toBe('active');
  await api(page, `await pg.disconnect('MQTT V3')`);
  await expect.poll(() => api(page, `return (await pg.clients())[0].status`)).toBe('disconnected');
  await api(page, `
    const enc = new TextEncoder();
    await pg.publish('MQTT_V3_Publish', { topic: 'clean_session_false', payload: enc.encode('queued before the reload'), qos: 1, retain: false });
    await pg.publish('MQTT_V3_Publish', { topic: 'retained_message', payload: enc.encode('kept'), qos: 0, retain: true });
  `);
  await expect.poll(async () => (await storedSessions(page)).find((s) => s.clientId === 'mqtt_v3')?.queued.length).toBe(1);

  await page.reload();
  await expect(page.getByTestId('worker-state')).toHaveText(/Running in a Web Worker/);
  expect(await api(page, `return (await pg.clients()).map((c) => c.name + ':' + c.status)`)).toEqual(['MQTT V3:disconnected', 'MQTT_V3_Publish:disconnected']);
  expect(await api(page, `return (await pg.brokerSnapshot()).retained.map((r) => r.topic).filter((t) => !t.startsWith('$SYS/'))`)).toEqual(['retained_message']);
  await api(page, `await pg.connect('MQTT V3')`);
  await expect
    .poll(() => api(page, `return (await pg.messages('MQTT V3')).filter((m) => m.direction === 'received').map((m) => new TextDecoder().decode(m.payload))`))
    .toEqual(['queued before the reload']);
});
