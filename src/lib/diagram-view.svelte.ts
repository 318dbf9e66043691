/**
 * The sequence diagram's view state, kept while another tool is open: the
 * lanes the learner chose, zoom, follow mode, where it was scrolled to and
 * which arrow has the keyboard.
 */
import { DEFAULT_CLIENT_LANES, DiagramBuilder, defaultLanes } from './diagram-layout';

export const MIN_ZOOM = 0.004;
export const MAX_ZOOM = 6;
export const ZOOM_STEP = 1.5;
/** The tallest the scrolled content may get, px (browsers stop laying out beyond ~16 million). */
export const MAX_HEIGHT = 12_000_000;

export class DiagramView {
  /** Screen pixels per layout pixel, vertically. */
  zoom = $state(1);
  /** Keep the newest packets at the bottom of the view. */
  follow = $state(true);
  /** The client lanes the learner chose, or undefined: the first ones seen. */
  chosen = $state.raw<readonly string[] | undefined>(undefined);
  /** The arrow that has (or last had) the keyboard, by capture seq. */
  focused = $state<number | undefined>();
  /** Where the view was scrolled to when the tool was left. */
  scrollTop = 0;
  scrollLeft = 0;
  /** Lays out what the capture adds, keeping what it placed before. */
  readonly builder = new DiagramBuilder();

  /** The lanes to draw, in the order the clients were first seen. */
  lanes(candidates: readonly string[], seen: readonly string[]): string[] {
    if (!this.chosen) return defaultLanes(seen, DEFAULT_CLIENT_LANES);
    const chosen = new Set(this.chosen);
    return candidates.filter((c) => chosen.has(c));
  }

  toggleLane(name: string, current: readonly string[]): void {
    this.chosen = current.includes(name) ? current.filter((n) => n !== name) : [...current, name];
  }

  /** Sets the zoom, within what the content allows (`height` at zoom 1). */
  setZoom(z: number, height: number): number {
    const max = Math.min(MAX_ZOOM, MAX_HEIGHT / Math.max(1, height));
    this.zoom = Math.min(max, Math.max(MIN_ZOOM, z));
    return this.zoom;
  }
}

export const diagramView = new DiagramView();
