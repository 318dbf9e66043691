/**
 * Preloaded into the Node broker processes (`node --expose-gc --import
 * ./bench/broker/settle-hook.ts …`) so the load generator can force a settle
 * before reading their RSS: on SIGUSR2, full garbage collections, a pause,
 * another one, then "bench: settled {heapUsed, external, …}" (bytes, from
 * process.memoryUsage()) on stdout. The broker itself is not touched.
 */
const gc = (globalThis as { gc?: () => void }).gc;
const collect = () => gc?.();

process.on('SIGUSR2', () => {
  for (let i = 0; i < 2; i++) collect();
  setTimeout(() => {
    collect();
    const { heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
    process.stdout.write(`bench: settled ${JSON.stringify({ heapUsed, heapTotal, external, arrayBuffers })}\n`);
  }, 300);
});

export {};
