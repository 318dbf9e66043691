/**
 * The packet lab's state, kept while other tools are open: the text in each
 * format, the protocol version, the example loaded, the connection to send
 * on, and the last send (to find the broker's reaction in the capture).
 */
import { decode, dissect, encode, type ProtocolVersion } from '../../../worker/protocol';
import { compile, type Compiled, type LabFormat } from './compile';
import { EXAMPLES, exampleById, type LabExample } from './examples';
import { annotatedHex } from './hex';
import { packetToJson } from './packet-json';
import type { LabProblem } from './problem';
import type { LabSend } from './reaction';

const FIRST = EXAMPLES[0]!;

export class LabState {
  format = $state<LabFormat>(FIRST.format);
  json = $state(FIRST.format === 'json' ? FIRST.source : '');
  hex = $state(FIRST.format === 'hex' ? FIRST.source : '');
  version = $state<ProtocolVersion>(FIRST.version);
  /** The example loaded last, while its text is unchanged. */
  exampleId = $state<string | undefined>(FIRST.id);
  /** The connection chosen to send on. */
  connection = $state<string | undefined>();
  /** Why switching formats kept the other text as it was. */
  notice = $state.raw<LabProblem | undefined>();
  /** The last send, and what the lab expected of it. */
  last = $state.raw<{ send: LabSend; compiled: Compiled; version: ProtocolVersion; exampleId: string | undefined } | undefined>();
  sendError = $state<string | undefined>();

  /** The text in the current format. */
  get text(): string {
    return this.format === 'json' ? this.json : this.hex;
  }

  set text(value: string) {
    if (value === this.text) return;
    if (this.format === 'json') this.json = value;
    else this.hex = value;
    this.exampleId = undefined;
    this.notice = undefined;
  }

  readonly compiled: Compiled = $derived(compile(this.format, this.text, this.version));

  get example(): LabExample | undefined {
    return this.exampleId === undefined ? undefined : exampleById(this.exampleId);
  }

  load(example: LabExample): void {
    this.version = example.version;
    this.format = example.format;
    if (example.format === 'json') this.json = example.source;
    else this.hex = example.source;
    this.exampleId = example.id;
    this.notice = undefined;
  }

  /**
   * Switches between JSON and hex, carrying the packet across when it can:
   * JSON becomes its bytes, annotated; hex becomes JSON when the bytes decode.
   * Otherwise the other format keeps its last text, and `notice` says why.
   */
  setFormat(format: LabFormat): void {
    if (format === this.format) return;
    const c = this.compiled;
    this.notice = undefined;
    if (format === 'hex') {
      if (c.bytes) this.hex = annotatedHex(c.bytes, dissect(c.bytes, this.version));
      else this.notice = { key: 'labNoticeKeptHex' };
    } else if (c.bytes) {
      try {
        const packet = decode(c.bytes, this.version);
        // the JSON must give back the same bytes (a non-canonical form would not)
        const again = encode(packet, this.version);
        this.json = packetToJson(packet);
        if (again.length !== c.bytes.length || again.some((b, i) => b !== c.bytes![i])) this.notice = { key: 'labNoticeCanonical' };
      } catch (e) {
        this.notice = { key: 'labNoticeKeptJson', params: { error: e instanceof Error ? e.message : String(e) } };
      }
    } else this.notice = { key: 'labNoticeKeptJsonNoBytes' };
    this.format = format;
  }
}

export const lab = new LabState();
