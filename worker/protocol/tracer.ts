import type { Field, ProtocolVersion } from './types';
import { describeField } from './field-notes';

/**
 * Builds the dissection tree while a packet is decoded. The decoder calls it
 * only when dissecting (the Reader's `t` is null otherwise), so decoding and
 * dissecting share one code path and cannot disagree about the bytes.
 */
export class Tracer {
  readonly root: Field;
  #stack: Field[];
  #last: Field | undefined;
  /** Versions differ in section numbers; CONNECT sets this once it reads the level. */
  version: ProtocolVersion;

  constructor(name: string, end: number, version: ProtocolVersion) {
    this.root = { name, start: 0, end, children: [] };
    this.#stack = [this.root];
    this.version = version;
  }

  open(name: string, start: number): Field {
    const f: Field = { name, start, end: start, children: [], ...describeField(name, this.version) };
    this.#top().children!.push(f);
    this.#stack.push(f);
    return f;
  }

  close(end: number): void {
    const f = this.#stack.pop();
    if (f) f.end = end;
  }

  leaf(name: string, start: number, end: number, value?: Field['value']): Field {
    const f: Field = { name, start, end, ...describeField(name, this.version) };
    if (value !== undefined) f.value = value;
    this.#top().children!.push(f);
    this.#last = f;
    return f;
  }

  /** The most recent leaf, to add what only the caller knows (a reason code's name...). */
  get last(): Field | undefined {
    return this.#last;
  }

  /** The innermost open group. */
  get current(): Field {
    return this.#top();
  }

  /** Closes every open group at `end`; used when decoding stops at an error. */
  closeAll(end: number): void {
    while (this.#stack.length > 1) this.close(end);
  }

  #top(): Field {
    return this.#stack[this.#stack.length - 1]!;
  }
}
