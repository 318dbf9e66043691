/**
 * dissect: explains every byte of a packet as a tree of fields. It runs the
 * decoder with a Tracer attached, so the tree is exactly what decode reads.
 * It never throws: malformed input is dissected as far as it is valid, the
 * field where it breaks carries the error, and the bytes after it are one
 * "Undecoded Bytes" field.
 */
import { decodeTraced } from './decode';
import { MqttError, MALFORMED } from './errors';
import { Tracer } from './tracer';
import type { Field, ProtocolVersion } from './types';

export function dissect(bytes: Uint8Array, version: ProtocolVersion): Field {
  const t = new Tracer('Packet', bytes.length, version);
  try {
    decodeTraced(bytes, version, t);
  } catch (e) {
    const err = e instanceof MqttError ? e : new MqttError(MALFORMED, String((e as Error)?.message ?? e));
    markFailure(t, err, bytes.length);
  }
  return t.root;
}

function markFailure(t: Tracer, err: MqttError, length: number): void {
  const root = t.root;
  const consumed = lastEnd(root);
  t.closeAll(consumed);
  pruneEmpty(root);
  root.error = err.message;
  root.reasonCode = err.reasonCode;
  const at = err.offset ?? consumed;
  const culprit = at < consumed ? leafAt(root, at) : undefined;
  if (culprit) {
    culprit.error = err.message;
    culprit.reasonCode = err.reasonCode;
  }
  if (consumed < length) {
    const trailing = !culprit && at === consumed && /follow the end/.test(err.message);
    const rest: Field = {
      name: trailing ? 'Unexpected Bytes' : 'Undecoded Bytes',
      start: consumed,
      end: length,
      note: trailing ? 'Bytes after the end of the packet that its length does not account for.' : 'Bytes after the point where the packet stopped making sense.',
    };
    if (!culprit) {
      rest.error = err.message;
      rest.reasonCode = err.reasonCode;
    }
    root.children!.push(rest);
  } else if (!culprit) {
    // the bytes ran out where a field should be: a zero-width field at the end carries the error
    root.children!.push({
      name: 'Missing Bytes',
      start: length,
      end: length,
      note: 'The packet ends here, but the field being read needs more bytes.',
      error: err.message,
      reasonCode: err.reasonCode,
    });
  }
}

function lastEnd(f: Field): number {
  let end = f.children ? f.start : f.end;
  for (const c of f.children ?? []) end = Math.max(end, lastEnd(c));
  return end;
}

/** Drops groups that were opened but got no bytes before the failure. */
function pruneEmpty(f: Field): void {
  if (!f.children) return;
  f.children = f.children.filter((c) => {
    pruneEmpty(c);
    return !(c.children && c.children.length === 0);
  });
}

function leafAt(f: Field, offset: number): Field | undefined {
  if (!f.children) return f.start <= offset && offset < f.end ? f : undefined;
  for (const c of f.children) {
    const hit = leafAt(c, offset);
    if (hit) return hit;
  }
  return undefined;
}
