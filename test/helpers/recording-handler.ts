/**
 * A LinkHandler that records what a Link delivers, for transport tests:
 * the bytes, joined, and every close with its reason.
 */
import type { Link, LinkHandler } from '../../worker/transport/link';
import { until } from './timeouts';

export class Recorder implements LinkHandler {
  chunks: Uint8Array[] = [];
  closes: (string | undefined)[] = [];

  static on(link: Link): Recorder {
    const r = new Recorder();
    link.setHandler(r);
    return r;
  }

  data(bytes: Uint8Array): void {
    this.chunks.push(bytes);
  }

  close(reason?: string): void {
    this.closes.push(reason);
  }

  /** Everything received so far, as text. */
  get text(): string {
    return Buffer.concat(this.chunks).toString('latin1');
  }

  waitForText(text: string, ms = 3000): Promise<void> {
    return until(() => this.text === text, ms, `the bytes "${text}" (have "${this.text}")`);
  }

  waitForClose(ms = 3000): Promise<string | undefined> {
    return until(() => this.closes.length > 0, ms, 'the link to close').then(() => this.closes[0]);
  }
}
