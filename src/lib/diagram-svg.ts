/**
 * How the sequence diagram is drawn: the geometry of arrows, heads, crosses
 * and brackets that the panel and the SVG export share, and the export
 * itself: a standalone .svg file whose colours are written into it (no
 * stylesheet, no CSS variables), so that it opens the same anywhere.
 */
import { arrowText, type DiagramArrow, type DiagramGroup, type DiagramLane, type DiagramLayout, type DiagramSpan, type DiagramWindow } from './diagram-layout';

/** Height of the lane headers above the diagram, px. */
export const HEADER = 34;
/** Labels are drawn when a row is at least this high on screen, px. */
export const LABEL_MIN_ROW = 17;

export type ArrowKind = 'publish' | 'ack' | 'control' | 'end' | 'error';

/** The colour family of a packet: messages, acknowledgements, connection set-up, endings, errors. */
export function arrowKind(a: DiagramArrow): ArrowKind {
  const f = a.frame;
  if (f.error !== undefined || f.type === undefined) return 'error';
  switch (f.type) {
    case 'publish':
      return 'publish';
    case 'puback':
    case 'pubrec':
    case 'pubrel':
    case 'pubcomp':
    case 'suback':
    case 'unsuback':
    case 'pingresp':
      return f.reasonCode !== undefined && f.reasonCode >= 0x80 ? 'error' : 'ack';
    case 'connack':
      return f.reasonCode ? 'error' : 'control';
    case 'disconnect':
      return 'end';
    default:
      return 'control';
  }
}

export interface ArrowGeometry {
  /** The line and, unless it was lost, its head: one path, stroked and filled in the arrow's colour. */
  d: string;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  /** The head (a filled triangle) when it arrived or is on its way; a cross when it was lost. */
  head: string;
  cross: string | undefined;
  /** Where the label sits (its middle, just above the line). */
  lx: number;
  ly: number;
}

const r1 = (n: number) => Math.round(n * 10) / 10;

/** An arrow on screen at `zoom` (y in the diagram's coordinates, the header not included). */
export function arrowGeometry(a: DiagramArrow, lanes: readonly DiagramLane[], zoom: number): ArrowGeometry {
  const xa = lanes[a.from]!.x;
  const xb = lanes[a.to]!.x;
  const x1 = xa;
  const y1 = a.y1 * zoom;
  const x2 = xa + (xb - xa) * a.reach;
  const y2 = a.y2 * zoom;
  const dx = x2 - x1;
  const dy = y2 - y1;
  const len = Math.hypot(dx, dy) || 1;
  const ux = dx / len;
  const uy = dy / len;
  let head = '';
  let cross: string | undefined;
  if (a.state === 'lost') {
    const s = 5;
    cross = `M${r1(x2 - s)} ${r1(y2 - s)}L${r1(x2 + s)} ${r1(y2 + s)}M${r1(x2 - s)} ${r1(y2 + s)}L${r1(x2 + s)} ${r1(y2 - s)}`;
  } else {
    const hl = 8;
    const hw = 4;
    const bx = x2 - ux * hl;
    const by = y2 - uy * hl;
    head = `M${r1(x2)} ${r1(y2)}L${r1(bx - uy * hw)} ${r1(by + ux * hw)}L${r1(bx + uy * hw)} ${r1(by - ux * hw)}Z`;
  }
  const d = `M${r1(x1)} ${r1(y1)}L${r1(x2)} ${r1(y2)}${head}`;
  return { d, x1: r1(x1), y1: r1(y1), x2: r1(x2), y2: r1(y2), head, cross, lx: r1((x1 + x2) / 2), ly: r1((y1 + y2) / 2 - 5) };
}

/** A QoS flow's bracket: a box around its arrows, with a bracket on the client's side. */
export function groupGeometry(g: DiagramGroup, lanes: readonly DiagramLane[], broker: number, zoom: number): { x: number; y: number; w: number; h: number; bracket: string; lx: number; ly: number } {
  const xc = lanes[g.lane]!.x;
  const xb = lanes[broker]!.x;
  const left = Math.min(xc, xb) + 6;
  const w = Math.abs(xc - xb) - 12;
  const y = g.y1 * zoom - 10;
  const h = (g.y2 - g.y1) * zoom + 16;
  // the bracket sits beside the client's lifeline, on the side away from the broker
  const side = xc < xb ? -1 : 1;
  const bx = xc + side * 8;
  const tick = -side * 5;
  const bracket = `M${r1(bx + tick)} ${r1(y)}H${r1(bx)}V${r1(y + h)}H${r1(bx + tick)}`;
  return { x: r1(left), y: r1(y), w: r1(Math.max(0, w)), h: r1(h), bracket, lx: r1(bx + side * 4), ly: r1(y + 10) };
}

/** A timer span: a bar beside the client's lifeline (keep alive on its left, will on its right), its label on the right. */
export function spanGeometry(s: DiagramSpan, lanes: readonly DiagramLane[], zoom: number): { x: number; y: number; w: number; h: number; lx: number; ly: number } {
  const lane = lanes[s.lane]!.x;
  const x = lane + (s.kind === 'keepalive' ? -14 : 6);
  const y = s.y1 * zoom;
  return { x: r1(x), y: r1(y), w: 8, h: r1(Math.max(4, (s.y2 - s.y1) * zoom)), lx: r1(s.kind === 'keepalive' ? lane + 5 : x + 11), ly: r1(y + 13) };
}

export interface SvgPalette {
  bg: string;
  fg: string;
  muted: string;
  border: string;
  panel: string;
  accent: string;
  ok: string;
  warn: string;
  error: string;
}

export interface SvgWords {
  title: string;
  lane(l: DiagramLane): string;
  arrow(a: DiagramArrow): string;
  group(g: DiagramGroup): string;
  span(s: DiagramSpan): string;
  silence(ms: number): string;
  time(t: number): string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function kindColor(kind: ArrowKind, p: SvgPalette): string {
  return kind === 'publish' ? p.accent : kind === 'ack' ? p.muted : kind === 'control' ? p.ok : kind === 'end' ? p.warn : p.error;
}

/**
 * The diagram between `top` and `bottom` (px on screen at `zoom`, the header
 * not included) as a standalone SVG document: lane headers, lifelines, time
 * axis, QoS flows, timers, silences and arrows, with their labels when rows
 * are high enough to read them.
 */
export function diagramSvg(l: DiagramLayout, win: DiagramWindow, o: { zoom: number; top: number; bottom: number }, p: SvgPalette, words: SvgWords): string {
  const { zoom } = o;
  const width = l.width;
  const height = Math.max(1, o.bottom - o.top) + HEADER;
  const labels = l.metrics.rowGap * zoom >= LABEL_MIN_ROW;
  const broker = l.lanes.findIndex((x) => x.kind === 'broker');
  const font = `font-family="system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Noto Sans SC', sans-serif"`;
  const out: string[] = [];
  out.push(`<?xml version="1.0" encoding="UTF-8"?>`);
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${r1(height)}" viewBox="0 0 ${width} ${r1(height)}" ${font} font-size="11">`);
  out.push(`<title>${esc(words.title)}</title>`);
  out.push(`<rect width="100%" height="100%" fill="${p.bg}"/>`);
  for (const lane of l.lanes) out.push(`<line x1="${lane.x}" y1="${HEADER}" x2="${lane.x}" y2="${r1(height)}" stroke="${p.border}" stroke-width="${lane.kind === 'broker' ? 2 : 1}"/>`);
  out.push(`<g transform="translate(0 ${r1(HEADER - o.top)})">`);
  for (const t of thinTicks(win.ticks, zoom)) {
    out.push(`<text x="6" y="${r1(t.y * zoom + 4)}" fill="${p.muted}" font-size="10">${esc(words.time(t.t))}</text>`);
  }
  for (const b of win.breaks) {
    const y = ((b.y1 + b.y2) / 2) * zoom;
    out.push(`<line x1="${l.metrics.axisWidth}" y1="${r1(y)}" x2="${width}" y2="${r1(y)}" stroke="${p.muted}" stroke-dasharray="2 4"/>`);
    if ((b.y2 - b.y1) * zoom >= 12) out.push(`<text x="6" y="${r1(y + 4)}" fill="${p.muted}" font-size="10">${esc(words.silence(b.ms))}</text>`);
  }
  for (const g of win.groups) {
    const gg = groupGeometry(g, l.lanes, broker, zoom);
    out.push(`<rect x="${gg.x}" y="${gg.y}" width="${gg.w}" height="${gg.h}" rx="4" fill="${p.accent}" fill-opacity="0.07" stroke="${p.accent}" stroke-opacity="0.35"/>`);
    out.push(`<path d="${gg.bracket}" fill="none" stroke="${p.accent}" stroke-width="2"/>`);
    if (labels) out.push(`<text x="${gg.lx}" y="${gg.ly}" fill="${p.muted}" font-size="9" text-anchor="${gg.lx < l.lanes[g.lane]!.x ? 'end' : 'start'}">${esc(words.group(g))}</text>`);
  }
  for (const s of win.spans) {
    const sg = spanGeometry(s, l.lanes, zoom);
    const c = s.kind === 'keepalive' ? p.warn : p.error;
    out.push(`<rect x="${sg.x}" y="${sg.y}" width="${sg.w}" height="${sg.h}" fill="${c}" fill-opacity="0.25" stroke="${c}"${s.state === 'running' || s.state === 'pending' ? ' stroke-dasharray="3 2"' : ''}/>`);
    if (labels) out.push(`<text x="${sg.lx}" y="${sg.ly}" fill="${c}" font-size="10" stroke="${p.bg}" stroke-width="3" paint-order="stroke">${esc(words.span(s))}</text>`);
  }
  for (const a of win.arrows) {
    const g = arrowGeometry(a, l.lanes, zoom);
    const c = kindColor(arrowKind(a), p);
    const dash = a.state === 'flight' ? ' stroke-dasharray="4 3"' : a.dup ? ' stroke-dasharray="6 2"' : '';
    out.push(`<g><title>${esc(words.arrow(a))}</title>`);
    out.push(`<line x1="${g.x1}" y1="${g.y1}" x2="${g.x2}" y2="${g.y2}" stroke="${c}" stroke-width="1.5"${dash}/>`);
    if (g.cross) out.push(`<path d="${g.cross}" stroke="${p.error}" stroke-width="2"/>`);
    else out.push(`<path d="${g.head}" fill="${c}"/>`);
    if (labels) out.push(`<text x="${g.lx}" y="${g.ly}" fill="${p.fg}" text-anchor="middle">${esc(arrowText(a.frame))}</text>`);
    out.push(`</g>`);
  }
  out.push(`</g>`);
  out.push(`<rect width="${width}" height="${HEADER}" fill="${p.panel}"/>`);
  out.push(`<line x1="0" y1="${HEADER}" x2="${width}" y2="${HEADER}" stroke="${p.border}"/>`);
  for (const lane of l.lanes) {
    out.push(`<text x="${lane.x}" y="${HEADER / 2 + 4}" fill="${p.fg}" font-size="12" font-weight="${lane.kind === 'broker' ? 700 : 600}" text-anchor="middle">${esc(words.lane(lane))}</text>`);
  }
  out.push(`</svg>`);
  return out.join('\n');
}

/** The time labels that fit: at least 14 px apart on screen. */
export function thinTicks<T extends { y: number }>(ticks: readonly T[], zoom: number, gap = 14): T[] {
  const out: T[] = [];
  let last = -Infinity;
  for (const t of ticks) {
    if (t.y * zoom - last < gap) continue;
    out.push(t);
    last = t.y * zoom;
  }
  return out;
}
