/**
 * Runs callbacks at the start of the next task (not microtask): a
 * MessageChannel message, which unlike setTimeout(0) is not clamped to 4 ms.
 * Used to let cached readings of the time expire once the current task and
 * all its microtasks are done.
 */
let channel: MessageChannel | undefined;
let queue: (() => void)[] = [];

export function nextTask(callback: () => void): void {
  if (typeof MessageChannel === 'undefined') {
    setTimeout(callback, 0);
    return;
  }
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => {
      const q = queue;
      queue = [];
      for (const f of q) f();
    };
    // Node: a waiting port must not keep the process alive
    (channel.port1 as unknown as { unref?: () => void }).unref?.();
  }
  if (queue.length === 0) channel.port2.postMessage(0);
  queue.push(callback);
}
