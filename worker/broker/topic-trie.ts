/**
 * Subscriptions by topic filter, one node per level (mosquitto subs.c).
 * Matching a topic walks its levels once, following at each node the exact
 * level, '+' and '#', so the cost grows with the depth of the topic and the
 * number of matching filters, not with the number of subscriptions.
 *
 *   filters          topic "sensor/1/temperature" visits
 *   sensor/+/temperature    root > sensor > + > temperature   (match)
 *   sensor/#                root > sensor > #                 (match)
 *   #                       root > #                          (match)
 *   sensor/2/temperature    root > sensor > 2                 (not visited)
 *
 * Topics starting with '$' skip the root's '+' and '#' [MQTT-4.7.2-1].
 * Values are kept per filter under a key (the client identifier, or the share
 * group), so one client has at most one subscription per filter.
 *
 * Devices publish to the same topics again and again, so the result of a
 * match is cached per topic until the next change of subscriptions.
 */

/** A match result: each matching value with its key. */
export type Matches<V> = readonly (readonly [value: V, key: string])[];

const CACHE_LIMIT = 10_000;

class Node<V> {
  children: Map<string, Node<V>> | undefined;
  values: Map<string, V> | undefined;
  parent: Node<V> | undefined;
  level: string;
  /** The '+' and '#' children, also in `children`: matching visits them at every level without a lookup. */
  plus: Node<V> | undefined;
  hash: Node<V> | undefined;
  /** `values` as match results, built on the first match after a change and shared by every result. */
  results: (readonly [V, string])[] | undefined;

  constructor(level: string, parent: Node<V> | undefined) {
    this.level = level;
    this.parent = parent;
  }
}

export class TopicTrie<V> {
  #root = new Node<V>('', undefined);
  #size = 0;
  #cache = new Map<string, Matches<V>>();

  /** Number of (filter, key) entries. */
  get size(): number {
    return this.#size;
  }

  /** Sets the value of `key` under `filter`; returns true when the entry is new. */
  set(filter: string, key: string, value: V): boolean {
    let node = this.#root;
    for (const level of filter.split('/')) {
      node.children ??= new Map();
      let next = node.children.get(level);
      if (!next) {
        node.children.set(level, (next = new Node(level, node)));
        if (level === '+') node.plus = next;
        else if (level === '#') node.hash = next;
      }
      node = next;
    }
    node.values ??= new Map();
    this.#cache.clear();
    const fresh = !node.values.has(key);
    node.values.set(key, value);
    node.results = undefined;
    if (fresh) this.#size++;
    return fresh;
  }

  get(filter: string, key: string): V | undefined {
    return this.#find(filter)?.values?.get(key);
  }

  /** Removes `key` from `filter`; returns true when it was there. Empty branches are pruned. */
  delete(filter: string, key: string): boolean {
    const node = this.#find(filter);
    if (!node?.values?.delete(key)) return false;
    node.results = undefined;
    this.#cache.clear();
    this.#size--;
    let n: Node<V> | undefined = node;
    while (n && n.parent && !n.values?.size && !n.children?.size) {
      n.parent.children!.delete(n.level);
      if (n.parent.plus === n) n.parent.plus = undefined;
      else if (n.parent.hash === n) n.parent.hash = undefined;
      n = n.parent;
    }
    if (node.values.size === 0) node.values = undefined;
    return true;
  }

  /** Calls `visit` for every value whose filter matches `topic`. */
  match(topic: string, visit: (value: V, key: string) => void): void {
    for (const [v, k] of this.matchAll(topic)) visit(v, k);
  }

  /** Every value whose filter matches `topic`, with its key; do not modify the result. */
  matchAll(topic: string): Matches<V> {
    let hit = this.#cache.get(topic);
    if (hit) return hit;
    const found: (readonly [V, string])[] = [];
    this.#match(this.#root, topic.split('/'), 0, topic.charCodeAt(0) === 36, found);
    if (this.#cache.size >= CACHE_LIMIT) this.#cache.clear();
    this.#cache.set(topic, (hit = found));
    return hit;
  }

  /** Every (filter, key, value), in no particular order. */
  *entries(): Generator<[filter: string, key: string, value: V]> {
    const stack: [Node<V>, string][] = [[this.#root, '']];
    while (stack.length) {
      const [node, path] = stack.pop()!;
      if (node.values) for (const [k, v] of node.values) yield [path, k, v];
      if (node.children) for (const [level, child] of node.children) stack.push([child, node === this.#root ? level : `${path}/${level}`]);
    }
  }

  #find(filter: string): Node<V> | undefined {
    let node: Node<V> | undefined = this.#root;
    for (const level of filter.split('/')) {
      node = node.children?.get(level);
      if (!node) return undefined;
    }
    return node;
  }

  #match(node: Node<V>, levels: string[], i: number, dollar: boolean, found: (readonly [V, string])[]): void {
    if (i === levels.length) {
      if (node.values) addResults(node, found);
      // 'a/#' matches 'a' itself
      if (node.hash?.values) addResults(node.hash, found);
      return;
    }
    const exact = node.children?.get(levels[i]!);
    if (exact) this.#match(exact, levels, i + 1, dollar, found);
    if (i === 0 && dollar) return;
    if (node.plus) this.#match(node.plus, levels, i + 1, dollar, found);
    if (node.hash?.values) addResults(node.hash, found);
  }
}

/** Appends a node's values as (value, key) pairs, reusing the pairs made at its last match. */
function addResults<V>(node: Node<V>, found: (readonly [V, string])[]): void {
  let results = node.results;
  if (!results) {
    results = [];
    for (const [k, v] of node.values!) results.push([v, k]);
    node.results = results;
  }
  for (let i = 0; i < results.length; i++) found.push(results[i]!);
}
