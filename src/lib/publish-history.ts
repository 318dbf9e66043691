/**
 * What the publish bar remembers: the last publications of each connection
 * (to reuse with one click, or ↑/↓ in the payload like a shell) and the
 * payloads the learner saved under a name. Both are kept in the workspace
 * ('publish-history', 'saved-payloads'), so they are read back defensively:
 * an entry of the wrong shape is dropped rather than trusted.
 *
 * History is oldest first. Publishing the same thing again moves it to the
 * end instead of repeating it (a shell's erasedups), so the 50 entries are
 * 50 different publications.
 */
import type { QoS } from '../../worker/protocol/types';
import { cloneDraft, emptyProperties, type PropertiesForm, type PublishDraft } from './publish-form';
import { PAYLOAD_FORMATS, type PayloadFormat } from './payload-encode';

export const HISTORY_LIMIT = 50;

export interface HistoryEntry extends PublishDraft {
  /** Wall-clock ms of the publication. */
  at: number;
}

/** Publish history of every connection, by connection name. */
export type HistoryBook = Record<string, HistoryEntry[]>;

export interface SavedPayload {
  name: string;
  payload: string;
  format: PayloadFormat;
}

function sameDraft(a: PublishDraft, b: PublishDraft): boolean {
  const pa = a.properties;
  const pb = b.properties;
  return a.topic === b.topic && a.qos === b.qos && a.retain === b.retain && a.payload === b.payload && a.format === b.format
    && pa.contentType === pb.contentType && pa.payloadFormatIndicator === pb.payloadFormatIndicator
    && pa.messageExpiryInterval === pb.messageExpiryInterval && pa.responseTopic === pb.responseTopic
    && pa.correlationData === pb.correlationData && pa.correlationFormat === pb.correlationFormat && pa.topicAlias === pb.topicAlias
    && pa.userProperties.length === pb.userProperties.length
    && pa.userProperties.every((r, i) => r.key === pb.userProperties[i]!.key && r.value === pb.userProperties[i]!.value);
}

/** The history with `draft` as its newest entry, an identical older one removed, at most `limit` long. */
export function addToHistory(history: readonly HistoryEntry[], draft: PublishDraft, at: number, limit = HISTORY_LIMIT): HistoryEntry[] {
  const next = history.filter((e) => !sameDraft(e, draft));
  next.push({ ...cloneDraft(draft), at });
  return next.length > limit ? next.slice(next.length - limit) : next;
}

/**
 * ↑/↓ through a history like a shell: ↑ from the draft shows the newest
 * entry, ↓ past the newest gives the draft back as it was.
 */
export class HistoryCursor {
  /** Index into the history being shown, or undefined while editing the draft. */
  index: number | undefined;
  #draft: PublishDraft | undefined;

  /** The older entry to show, or undefined at the oldest (nothing changes). */
  up(history: readonly HistoryEntry[], current: PublishDraft): PublishDraft | undefined {
    if (!history.length) return undefined;
    if (this.index === undefined) {
      this.#draft = cloneDraft(current);
      this.index = history.length - 1;
    } else if (this.index > 0) {
      this.index--;
    } else {
      return undefined;
    }
    return cloneDraft(history[this.index]!);
  }

  /** The newer entry, or the draft kept when ↑ was first pressed; undefined when not browsing. */
  down(history: readonly HistoryEntry[]): PublishDraft | undefined {
    if (this.index === undefined) return undefined;
    if (this.index < history.length - 1) {
      this.index++;
      return cloneDraft(history[this.index]!);
    }
    const draft = this.#draft;
    this.reset();
    return draft;
  }

  /** Back to editing (after a publish, or when the learner types). */
  reset(): void {
    this.index = undefined;
    this.#draft = undefined;
  }
}

/** The saved payloads with `p` added, replacing one of the same name; sorted by name. */
export function savePayload(list: readonly SavedPayload[], p: SavedPayload): SavedPayload[] {
  return [...list.filter((s) => s.name !== p.name), { ...p }].sort((a, b) => a.name.localeCompare(b.name));
}

export function deletePayload(list: readonly SavedPayload[], name: string): SavedPayload[] {
  return list.filter((s) => s.name !== name);
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isFormat = (v: unknown): v is PayloadFormat => PAYLOAD_FORMATS.includes(v as PayloadFormat);

function readProperties(v: unknown): PropertiesForm | undefined {
  if (v === undefined) return emptyProperties();
  if (!isRecord(v)) return undefined;
  const f = emptyProperties();
  for (const k of ['contentType', 'messageExpiryInterval', 'responseTopic', 'correlationData', 'topicAlias'] as const) {
    if (v[k] === undefined) continue;
    if (!isString(v[k])) return undefined;
    f[k] = v[k];
  }
  if (v.payloadFormatIndicator !== undefined) {
    if (v.payloadFormatIndicator !== '' && v.payloadFormatIndicator !== '0' && v.payloadFormatIndicator !== '1') return undefined;
    f.payloadFormatIndicator = v.payloadFormatIndicator;
  }
  if (v.correlationFormat !== undefined) {
    if (v.correlationFormat !== 'text' && v.correlationFormat !== 'hex') return undefined;
    f.correlationFormat = v.correlationFormat;
  }
  if (v.userProperties !== undefined) {
    if (!Array.isArray(v.userProperties)) return undefined;
    for (const row of v.userProperties as unknown[]) {
      if (!isRecord(row) || !isString(row.key) || !isString(row.value)) return undefined;
      f.userProperties.push({ key: row.key, value: row.value });
    }
  }
  return f;
}

function readEntry(v: unknown): HistoryEntry | undefined {
  if (!isRecord(v) || !isString(v.topic) || !isString(v.payload) || !isFormat(v.format) || typeof v.retain !== 'boolean') return undefined;
  if (v.qos !== 0 && v.qos !== 1 && v.qos !== 2) return undefined;
  const properties = readProperties(v.properties);
  if (!properties) return undefined;
  return { topic: v.topic, qos: v.qos as QoS, retain: v.retain, payload: v.payload, format: v.format, properties, at: typeof v.at === 'number' ? v.at : 0 };
}

/** The history book as stored, keeping only well-formed entries (the newest `limit` of each). */
export function readHistoryBook(v: unknown, limit = HISTORY_LIMIT): HistoryBook {
  const book: HistoryBook = {};
  if (!isRecord(v)) return book;
  for (const [name, list] of Object.entries(v)) {
    if (!Array.isArray(list)) continue;
    const entries = list.map(readEntry).filter((e): e is HistoryEntry => e !== undefined);
    if (entries.length) book[name] = entries.slice(-limit);
  }
  return book;
}

/** The saved payloads as stored, keeping only well-formed ones. */
export function readSavedPayloads(v: unknown): SavedPayload[] {
  if (!Array.isArray(v)) return [];
  let list: SavedPayload[] = [];
  for (const s of v as unknown[]) {
    if (isRecord(s) && isString(s.name) && s.name.trim() !== '' && isString(s.payload) && isFormat(s.format)) list = savePayload(list, { name: s.name, payload: s.payload, format: s.format });
  }
  return list;
}

/** A one-line preview of a payload for lists: whitespace collapsed, cut at `max` characters. */
export function preview(payload: string, max = 60): string {
  const s = payload.replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
