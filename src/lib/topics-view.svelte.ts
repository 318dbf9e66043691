/**
 * What the learner did in the topic tree, kept while other tabs are open:
 * the filter, the selected topic, and which branches are open. While a
 * filter is typed, every branch of what matched starts open; the branches
 * the learner closes then are kept apart, and forgotten with the filter.
 *
 * The open branches are plain sets with one version number, not reactive
 * sets: the tree asks about thousands of branches per redraw, and one
 * signal for all of them is cheaper than one per branch.
 */
import { ancestorPaths, type TopicNode } from './topic-tree';

export class TopicsView {
  #query = $state('');
  /** Path of the selected node. */
  selected = $state<string | undefined>();
  #version = $state(0);
  readonly #expanded = new Set<string>();
  readonly #closedWhileFiltering = new Set<string>();

  /** The filter box: part of a topic name, or an MQTT topic filter. */
  get query(): string {
    return this.#query;
  }

  set query(q: string) {
    if (q === this.#query) return;
    this.#query = q;
    this.#closedWhileFiltering.clear();
    this.#version++;
  }

  get filtering(): boolean {
    return this.#query.trim() !== '';
  }

  isExpanded(path: string): boolean {
    void this.#version;
    if (!this.filtering) return this.#expanded.has(path);
    return !this.#closedWhileFiltering.has(path);
  }

  setExpanded(path: string, open: boolean): void {
    this.#set(path, open);
    this.#version++;
  }

  /** Opens or closes every branch of `nodes` and below. */
  setAll(nodes: readonly TopicNode[], open: boolean): void {
    const walk = (list: readonly TopicNode[]) => {
      for (const n of list) {
        if (!n.children.length) continue;
        this.#set(n.path, open);
        walk(n.children);
      }
    };
    walk(nodes);
    this.#version++;
  }

  /** Opens the branches above a path so that it shows. */
  reveal(path: string): void {
    for (const p of ancestorPaths(path)) this.#set(p, true);
    this.#version++;
  }

  #set(path: string, open: boolean): void {
    if (this.filtering) {
      if (open) this.#closedWhileFiltering.delete(path);
      else this.#closedWhileFiltering.add(path);
    } else if (open) this.#expanded.add(path);
    else this.#expanded.delete(path);
  }
}

export const topicsView = new TopicsView();
