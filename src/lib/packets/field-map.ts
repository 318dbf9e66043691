/**
 * A dissection tree (worker/protocol `Field`) as the byte inspector uses it:
 * flattened in document order, so that the tree view can walk it with the
 * arrow keys, and searchable by byte, so that pointing at a byte of the hex
 * dump finds the field that explains it.
 *
 *   const nodes = flattenFields(dissect(bytes, 4));
 *   nodes[0].field.name                    // 'PUBLISH', the whole packet
 *   nodes[deepestAt(nodes, 4)].field.name  // 'Characters', inside 'Topic Name'
 *   nodes[deepestCovering(nodes, 2, 9)]    // 'Topic Name': the smallest field around bytes 2..8
 *
 * The leaves of a dissection cover every byte exactly once, so every byte
 * has exactly one deepest field. A field may also cover no byte at all (the
 * "Missing Bytes" of a packet that ends too early): it is never found by
 * pointing, only by its place in the tree.
 */
import type { Field } from '../../../worker/protocol/types';

export interface FieldNode {
  field: Field;
  /** Position in the flattened list. */
  index: number;
  /** The path of child indices from the root, e.g. "0.1.2": stable for one dissection. */
  id: string;
  /** 0 for the root. */
  depth: number;
  /** Index of the parent node, -1 for the root. */
  parent: number;
  /** Indices of the child nodes. */
  children: number[];
  /** 1-based position among its siblings, and how many siblings there are (for aria-posinset/setsize). */
  posinset: number;
  setsize: number;
}

/** Every field of the tree, parents before their children. */
export function flattenFields(root: Field): FieldNode[] {
  const nodes: FieldNode[] = [];
  const visit = (field: Field, id: string, depth: number, parent: number, posinset: number, setsize: number): number => {
    const index = nodes.length;
    const node: FieldNode = { field, index, id, depth, parent, children: [], posinset, setsize };
    nodes.push(node);
    const kids = field.children ?? [];
    for (let i = 0; i < kids.length; i++) node.children.push(visit(kids[i]!, `${id}.${i}`, depth + 1, index, i + 1, kids.length));
    return index;
  };
  visit(root, '0', 0, -1, 1, 1);
  return nodes;
}

function covers(f: Field, start: number, end: number): boolean {
  return f.start <= start && end <= f.end && f.end > f.start;
}

/** The deepest field holding the bytes [start, end) (end > start), or -1 when none does. */
export function deepestCovering(nodes: readonly FieldNode[], start: number, end: number): number {
  if (!nodes.length || !covers(nodes[0]!.field, start, end)) return -1;
  let at = 0;
  for (;;) {
    const next = nodes[at]!.children.find((c) => covers(nodes[c]!.field, start, end));
    if (next === undefined) return at;
    at = next;
  }
}

/** The deepest field holding byte `offset`, or -1 when it is outside the frame. */
export function deepestAt(nodes: readonly FieldNode[], offset: number): number {
  return deepestCovering(nodes, offset, offset + 1);
}

/** The node and its ancestors, root first. */
export function ancestry(nodes: readonly FieldNode[], index: number): number[] {
  const path: number[] = [];
  for (let i = index; i >= 0; i = nodes[i]!.parent) path.unshift(i);
  return path;
}

/** The nodes a tree view shows: the root, and the children of every shown node that is expanded. */
export function visibleNodes(nodes: readonly FieldNode[], isExpanded: (n: FieldNode) => boolean): number[] {
  const out: number[] = [];
  const walk = (i: number): void => {
    out.push(i);
    const n = nodes[i]!;
    if (n.children.length && isExpanded(n)) for (const c of n.children) walk(c);
  };
  if (nodes.length) walk(0);
  return out;
}

/** Where a malformed frame breaks: the field that carries the error, and the bytes left undecoded after it. */
export interface Failure {
  /** Why, in words (the root's error). */
  error: string;
  reasonCode: number | undefined;
  /** The node where decoding failed: a field of the packet, or the undecoded tail, or a zero-width "Missing Bytes". */
  node: number;
  /** The byte offset where the packet stops making sense. */
  at: number;
  /** Bytes after the failing field that were never decoded, [start, end), if any. */
  rest: { start: number; end: number } | undefined;
  /** The frame ended where more bytes were needed. */
  missing: boolean;
}

export function failureOf(nodes: readonly FieldNode[]): Failure | undefined {
  const root = nodes[0]?.field;
  if (!root?.error) return undefined;
  let node = nodes.findIndex((n, i) => i > 0 && n.field.error !== undefined);
  if (node < 0) node = 0;
  const f = nodes[node]!.field;
  const tail = nodes.find((n) => n.depth === 1 && (n.field.name === 'Undecoded Bytes' || n.field.name === 'Unexpected Bytes'));
  const rest = tail && tail.index !== node ? { start: tail.field.start, end: tail.field.end } : undefined;
  return { error: root.error, reasonCode: root.reasonCode, node, at: f.start, rest, missing: f.name === 'Missing Bytes' };
}
