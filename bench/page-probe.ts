/** What the browser benchmarks share: Chromium, frame-time sampling, percentiles and a connection's settings. */
import { chromium, type Browser, type Page } from '@playwright/test';
import { startPreview } from './sim/preview';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/**
 * Frame-to-frame times on the main thread for `ms`, measured in the page;
 * `during` runs once a frame (a string: tsx would rename a function's
 * helpers, and the page would not find them).
 */
export function frameTimes(page: Page, ms: number, during = ''): Promise<number[]> {
  return page.evaluate(`new Promise((resolve) => {
    const times = [];
    let last = performance.now();
    const end = last + ${ms};
    const during = () => { ${during} };
    const step = (now) => {
      times.push(now - last);
      last = now;
      during();
      if (now < end) requestAnimationFrame(step);
      else resolve(times);
    };
    requestAnimationFrame(step);
  })`) as Promise<number[]>;
}

/** The value below which a fraction `p` of `xs` lies. */
export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))] ?? 0;
}

export const p95 = (xs: number[]): number => percentile(xs, 0.95);

/** Frames per second over a run of frame times. */
export function fps(times: number[]): number {
  const total = times.reduce((a, b) => a + b, 0);
  return total > 0 ? (times.length * 1000) / total : 0;
}

/** A 5.0 connection's settings as the New Connection form makes them, as page script. */
export const connectionScript = (name: string): string =>
  `{ name: '${name}', clientId: '${name.replace(/\W/g, '_').toLowerCase()}', host: 'in-page', version: 5, cleanStart: true, sessionExpiryInterval: 0, keepalive: 60, username: '', password: '', will: undefined, autoReconnect: false, reconnectPeriod: 4000 }`;

/** Prints rows as aligned columns under a title. */
export function printTable(title: string, rows: string[][]): void {
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  console.log(`\n${title}\n`);
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(w[i]!)).join('  ').trimEnd());
}

/**
 * Builds the site (unless --no-build is given) and serves it, opens Chromium,
 * runs `body`, then closes both whatever happened; a failure is printed and
 * sets the exit code.
 */
export async function inBrowser(body: (browser: Browser, url: string) => Promise<void>, launch: () => Promise<Browser> = launchChromium): Promise<void> {
  const preview = await startPreview(!process.argv.includes('--no-build'));
  let browser: Browser | undefined;
  try {
    browser = await launch();
    await body(browser, preview.url);
  } catch (e: unknown) {
    console.error(e);
    process.exitCode = 1;
  } finally {
    await browser?.close();
    preview.stop();
  }
}
