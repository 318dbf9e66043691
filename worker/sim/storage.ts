/**
 * Where the playground keeps what must survive a page reload: the broker's
 * persistent sessions and retained messages, and the learner's workspace
 * (connections, subscriptions, saved payloads, layout). IndexedDB through
 * `idb`; when it cannot be used (private browsing, quota, no IndexedDB) the
 * playground runs from memory and says so.
 */
import { wrap, type IDBPDatabase } from 'idb';
import { MemoryStore, type BrokerState, type BrokerStore, type StoreBatch } from '../broker';
import type { Message } from '../broker';

const DB_NAME = 'mqtt-playground';
const DB_VERSION = 1;

export interface WorkspaceStore {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  keys(): Promise<string[]>;
}

export interface PlaygroundStorage {
  broker: BrokerStore;
  workspace: WorkspaceStore;
  kind: 'indexeddb' | 'memory';
  /** Why state will not survive a reload, when it will not. */
  notice: string | undefined;
}

export class MemoryWorkspace implements WorkspaceStore {
  readonly #map = new Map<string, unknown>();
  async get<T>(key: string): Promise<T | undefined> {
    return structuredClone(this.#map.get(key)) as T | undefined;
  }
  async set(key: string, value: unknown): Promise<void> {
    this.#map.set(key, structuredClone(value));
  }
  async keys(): Promise<string[]> {
    return [...this.#map.keys()];
  }
}

/** Copies views into buffers of their own: IndexedDB would otherwise store a view's whole buffer. */
function own<T>(value: T): T {
  if (value instanceof Uint8Array) return value.slice() as T;
  if (Array.isArray(value)) return value.map(own) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = own(v);
    return out as T;
  }
  return value;
}

class IdbBrokerStore implements BrokerStore {
  readonly #db: IDBPDatabase;
  constructor(db: IDBPDatabase) {
    this.#db = db;
  }

  async load(): Promise<BrokerState> {
    const tx = this.#db.transaction(['sessions', 'retained'], 'readonly');
    const [sessions, retained] = await Promise.all([tx.objectStore('sessions').getAll(), tx.objectStore('retained').getAll()]);
    await tx.done;
    return { sessions, retained: retained as Message[] };
  }

  async clear(): Promise<void> {
    const tx = this.#db.transaction(['sessions', 'retained'], 'readwrite');
    void tx.objectStore('sessions').clear();
    void tx.objectStore('retained').clear();
    await tx.done;
  }

  async save(batch: StoreBatch): Promise<void> {
    const tx = this.#db.transaction(['sessions', 'retained'], 'readwrite');
    const sessions = tx.objectStore('sessions');
    const retained = tx.objectStore('retained');
    for (const id of batch.deletedSessions) void sessions.delete(id);
    for (const s of batch.sessions) void sessions.put(own(s));
    for (const t of batch.deletedRetained) void retained.delete(t);
    for (const m of batch.retained) void retained.put(own({ ...m, wire4: undefined, wire5: undefined }));
    await tx.done;
  }
}

class IdbWorkspace implements WorkspaceStore {
  readonly #db: IDBPDatabase;
  constructor(db: IDBPDatabase) {
    this.#db = db;
  }
  async get<T>(key: string): Promise<T | undefined> {
    return (await this.#db.get('workspace', key)) as T | undefined;
  }
  async set(key: string, value: unknown): Promise<void> {
    await this.#db.put('workspace', own(value), key);
  }
  async keys(): Promise<string[]> {
    return (await this.#db.getAllKeys('workspace')).map(String);
  }
}

export function memoryStorage(notice: string | undefined): PlaygroundStorage {
  return { broker: new MemoryStore(), workspace: new MemoryWorkspace(), kind: 'memory', notice };
}

/** Opens IndexedDB, or falls back to memory with a notice the page shows. */
export async function openStorage(factory: IDBFactory | null = globalThis.indexedDB ?? null, name = DB_NAME): Promise<PlaygroundStorage> {
  if (!factory) return memoryStorage('This browser offers no IndexedDB here, so nothing will survive a reload.');
  try {
    // idb's openDB() only knows the global indexedDB; the factory is given here (tests, other hosts)
    const request = factory.open(name, DB_VERSION);
    request.addEventListener('upgradeneeded', () => {
      const db = request.result;
      db.createObjectStore('sessions', { keyPath: 'clientId' });
      db.createObjectStore('retained', { keyPath: 'topic' });
      db.createObjectStore('workspace');
    });
    const db = (await withTimeout(wrap(request) as unknown as Promise<IDBPDatabase>, 5000));
    // a write proves the store is usable (private modes may refuse only then)
    await db.put('workspace', Date.now(), 'opened-at');
    return { broker: new IdbBrokerStore(db), workspace: new IdbWorkspace(db), kind: 'indexeddb', notice: undefined };
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return memoryStorage(`Storage is unavailable (${why}), so nothing will survive a reload.`);
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('IndexedDB did not open in time')), ms);
    p.then((v) => {
      clearTimeout(t);
      resolve(v);
    }, (e: unknown) => {
      clearTimeout(t);
      reject(e instanceof Error ? e : new Error(String(e)));
    });
  });
}
