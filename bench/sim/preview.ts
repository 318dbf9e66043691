/** Builds the site and serves it with `vite preview` on a free port, for the browser benchmarks. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { freePort } from '../../test/helpers/free-port';

export interface Preview {
  url: string;
  stop(): void;
}


export async function startPreview(build: boolean): Promise<Preview> {
  if (build) {
    const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'error'], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('vite build failed');
  }
  const port = await freePort();
  const child: ChildProcess = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { stdio: 'ignore', detached: true });
  const url = `http://127.0.0.1:${port}/`;
  const t0 = Date.now();
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() - t0 > 30_000) throw new Error('vite preview did not start');
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    // the whole group: npx leaves vite's node process running otherwise
    stop: () => {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
    },
  };
}
