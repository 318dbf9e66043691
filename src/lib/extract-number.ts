/**
 * Numbers out of MQTT payloads, for charts. A series reads either the whole
 * payload or one field of it as JSON:
 *
 *   payload              field         number
 *   17.2                 ''            17.2
 *   "17.2" (JSON string) ''            17.2
 *   {"msg": "17.2"}      msg           17.2     numeric strings count
 *   {"a": {"b": [4, 5]}} a.b[1]        5
 *   {"x.y": 3}           ["x.y"]       3        quoted keys for odd names
 *   {"on": true}         on            1        booleans as 1 and 0
 *   {"msg": "hot"}       msg           undefined
 *
 * A path may start with '$' or '$.' (as JSONPath does). `autoField` picks a
 * field for a topic from one payload: the payload itself when it is a
 * number, else a field named like a reading (value, msg...), else the first
 * numeric field.
 */

export type PathSegment = string | number;

const decoder = new TextDecoder();

/** Splits 'a.b[0]["c.d"]' into ['a', 'b', 0, 'c.d']; undefined when it is not a path. */
export function parsePath(path: string): PathSegment[] | undefined {
  let s = path.trim();
  if (s.startsWith('$')) s = s.slice(1);
  const out: PathSegment[] = [];
  let i = 0;
  let expectKey = true; // at the start, or after '.'
  while (i < s.length) {
    const c = s[i]!;
    if (c === '.') {
      if (expectKey && i !== 0) return undefined; // 'a..b'
      expectKey = true;
      i++;
      if (i === s.length) return undefined; // 'a.'
    } else if (c === '[') {
      // a quoted key may hold ']' itself: match the quotes first
      const m = /^\[\s*(\d+|"(?:[^"\\]|\\.)*"|'[^']*')\s*\]/.exec(s.slice(i));
      if (!m) return undefined;
      const inner = m[1]!;
      if (inner.startsWith('"')) out.push(JSON.parse(inner) as string);
      else if (inner.startsWith("'")) out.push(inner.slice(1, -1));
      else out.push(Number(inner));
      i += m[0].length;
      expectKey = false;
    } else {
      let end = i;
      while (end < s.length && s[end] !== '.' && s[end] !== '[') end++;
      const key = s.slice(i, end).trim();
      if (!key || !expectKey) return undefined;
      out.push(key);
      i = end;
      expectKey = false;
    }
  }
  return out;
}

/** Writes segments back as a path: ['a', 0, 'x y'] -> 'a[0]["x y"]'. */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const seg of segments) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$\u00a0-\uffff][\w$\u00a0-\uffff-]*$/.test(seg) && !seg.startsWith('$')) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

const NUMERIC = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A number, a numeric string (" 17.2 ", "1e3") or a boolean as a finite number; undefined otherwise. */
export function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const t = v.trim();
    if (!NUMERIC.test(t)) return undefined;
    const n = Number(t);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** The value at a path inside parsed JSON; undefined where the path leads nowhere. */
export function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let v = root;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    if (typeof seg === 'number') {
      if (!Array.isArray(v)) return undefined;
      v = v[seg];
    } else {
      if (Array.isArray(v) || !Object.hasOwn(v, seg)) return undefined;
      v = (v as Record<string, unknown>)[seg];
    }
  }
  return v;
}

function text(payload: Uint8Array | string): string {
  return typeof payload === 'string' ? payload : decoder.decode(payload);
}

function parseJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

/**
 * The number a payload carries at `field` ('' for the whole payload), or
 * undefined when there is none. A parsed path may be passed to save parsing
 * it again for every message.
 */
export function extractNumber(payload: Uint8Array | string, field: string | readonly PathSegment[]): number | undefined {
  const s = text(payload);
  const path = typeof field === 'string' ? parsePath(field) : field;
  if (!path) return undefined;
  if (path.length === 0) {
    const direct = toNumber(s);
    if (direct !== undefined) return direct;
    const json = parseJson(s);
    // a JSON string or boolean is still "the payload"; objects need a field
    return typeof json === 'string' || typeof json === 'boolean' ? toNumber(json) : undefined;
  }
  const json = parseJson(s);
  if (json === undefined) return undefined;
  const v = valueAt(json, path);
  return typeof v === 'object' ? undefined : toNumber(v);
}

/** The paths of the numeric leaves of parsed JSON, in document order, at most `limit`. */
export function numericPaths(json: unknown, limit = 50): string[] {
  const out: string[] = [];
  const walk = (v: unknown, path: PathSegment[], depth: number) => {
    if (out.length >= limit || depth > 8) return;
    if (v !== null && typeof v === 'object') {
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i], depth + 1));
      else for (const [k, x] of Object.entries(v)) walk(x, [...path, k], depth + 1);
    } else if (path.length && toNumber(v) !== undefined) out.push(formatPath(path));
  };
  walk(json, [], 0);
  return out;
}

/** The fields of a payload that hold numbers ('' first when the payload itself is one). */
export function numericFields(payload: Uint8Array | string): string[] {
  const s = text(payload);
  if (extractNumber(s, '') !== undefined) return [''];
  const json = parseJson(s);
  return json !== null && typeof json === 'object' ? numericPaths(json) : [];
}

const READING_NAMES = ['value', 'msg', 'val', 'v', 'reading', 'temperature', 'temp', 'humidity', 'level'];

/** The field to chart for a payload: '' for a numeric payload, a reading's field, or undefined if none holds a number. */
export function autoField(payload: Uint8Array | string): string | undefined {
  const fields = numericFields(payload);
  if (!fields.length) return undefined;
  for (const name of READING_NAMES) {
    const hit = fields.find((f) => f === name || f.toLowerCase() === name);
    if (hit !== undefined) return hit;
  }
  return fields[0];
}
