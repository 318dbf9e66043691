#!/usr/bin/env node
// `npm test`: type-check, unit and interop tests (Vitest), build, then the
// Playwright tests in Debian's Chromium. Ends with one plain line,
// "N passed, M failed", summing every runner.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const out = '.ci-out';
mkdirSync(out, { recursive: true });
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const tally = { passed: 0, failed: 0 };
const lines = [];

function run(name, cmd, args, env = {}) {
  const t0 = Date.now();
  console.log(`\n=== [${name}] ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const s = ((Date.now() - t0) / 1000).toFixed(1);
  return { ok: r.status === 0, seconds: s };
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

// 1. type-check counts as one test: it passes or it does not
const check = run('typecheck', 'npm', ['run', '-s', 'check']);
tally[check.ok ? 'passed' : 'failed'] += 1;
lines.push(`typecheck ${check.ok ? 'ok' : 'FAILED'} (${check.seconds}s)`);

// 2. unit + interop
rmSync(`${out}/vitest.json`, { force: true });
const unit = run('unit', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${out}/vitest.json`]);
const v = readJson(`${out}/vitest.json`);
if (v) {
  // a file that failed without a failed test could not run at all (an import or a hook threw): it counts once
  const broken = (v.testResults ?? []).filter((r) => r.status === 'failed' && !(r.assertionResults ?? []).some((a) => a.status === 'failed')).length;
  tally.passed += v.numPassedTests;
  tally.failed += v.numFailedTests + broken;
  lines.push(`vitest ${v.numPassedTests}/${v.numTotalTests} (${unit.seconds}s)${broken ? `, ${broken} file(s) failed to run` : ''}`);
} else {
  tally.failed += 1;
  lines.push(`vitest produced no report (${unit.seconds}s)`);
}

// 3. build, then the browser tests against the built site
const build = run('build', 'npx', ['vite', 'build']);
if (!build.ok) {
  tally.failed += 1;
  lines.push('build FAILED');
} else if (!existsSync(chromium)) {
  tally.failed += 1;
  lines.push(`e2e skipped: no Chromium at ${chromium}. Install Debian's with: sudo apt-get install -y chromium (or set CHROMIUM_PATH)`);
} else {
  rmSync(`${out}/e2e.json`, { force: true });
  const e2e = run('e2e', 'npx', ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: `${out}/e2e.json` });
  const p = readJson(`${out}/e2e.json`);
  if (p?.stats) {
    const passed = p.stats.expected + p.stats.flaky;
    const failed = p.stats.unexpected;
    tally.passed += passed;
    tally.failed += failed + (p.errors?.length && failed === 0 ? 1 : 0);
    lines.push(`e2e ${passed}/${passed + failed + p.stats.skipped} (${e2e.seconds}s)`);
  } else {
    tally.failed += 1;
    lines.push(`e2e produced no report (${e2e.seconds}s)`);
  }
}

console.log('\n=== summary');
for (const l of lines) console.log(l);
console.log(`${tally.passed} passed, ${tally.failed} failed`);
process.exit(tally.failed === 0 ? 0 : 1);
