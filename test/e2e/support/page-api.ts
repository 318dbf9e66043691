import type { Page } from '@playwright/test';

/**
 * Runs `script` in the page against the worker's API (exposed to the
 * console as `mqttPlayground`, here `pg`), with three helpers in scope:
 * `cfg(name, clientId, overrides)` a connection's settings as the New
 * Connection form makes them, `check(result)` its value or a throw, and
 * `enc(text)` UTF-8 bytes. The script is a block of its own, so it may
 * declare names of its own, these included.
 */
export function api<T>(page: Page, script: string): Promise<T> {
  return page.evaluate(`(async (pg) => {
    const cfg = (name, clientId, o = {}) => ({ name, clientId, host: 'in-page', version: 5, cleanStart: true, sessionExpiryInterval: 0, keepalive: 60, username: '', password: '', will: undefined, autoReconnect: false, reconnectPeriod: 4000, ...o });
    const check = (r) => { if (!r.ok) throw new Error(r.error); return r.value; };
    const enc = (s) => new TextEncoder().encode(s);
    { ${script} }
  })(globalThis.mqttPlayground)`) as Promise<T>;
}

/** The status of the connection `name` ('connected', 'disconnected', ...), as the worker has it. */
export function status(page: Page, name: string): Promise<string | undefined> {
  return api(page, `return (await pg.clients()).find((c) => c.name === ${JSON.stringify(name)})?.status`);
}
