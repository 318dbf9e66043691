/**
 * Simulated sensors: a fleet of virtual clients that publish readings on
 * the simulation's clock, like devices would ("Sensor 1" publishing
 * {"msg": "17.2"} to sensor/1/temperature every second). Each reading walks
 * a little from the last, so charts look alive. The fleet spreads its
 * publications over the interval instead of sending them all at once.
 */
import type { QoS } from '../protocol';
import type { TimerId } from '../time/clock';
import { defaultClientConfig } from './client-config';
import type { Simulation } from './simulation';

export interface FleetRequest {
  /** Clients are named "{name} 1", "{name} 2"... */
  name: string;
  count: number;
  /** Topic with {i} for the sensor's number: 'sensor/{i}/temperature'. */
  topic: string;
  intervalMs: number;
  qos: QoS;
  retain: boolean;
  version: 3 | 4 | 5;
  /** 'msg' as in the tutorial: {"msg": "17.2"}; 'reading': {"value": 17.2, "unit": "°C"}. */
  format: 'msg' | 'reading';
}

export interface FleetView extends FleetRequest {
  id: number;
  published: number;
}

const SLOTS = 20;
const enc = new TextEncoder();

export class SensorFleets {
  readonly #sim: Simulation;
  #next = 1;
  readonly #fleets = new Map<number, { view: FleetView; clients: string[]; values: number[]; timer: TimerId | undefined; slot: number }>();

  constructor(sim: Simulation) {
    this.#sim = sim;
  }

  start(r: FleetRequest): FleetView {
    if (!(Number.isInteger(r.count) && r.count >= 1 && r.count <= 10_000)) throw new RangeError('A fleet has 1 to 10000 sensors.');
    if (!(r.intervalMs >= 10)) throw new RangeError('The interval is at least 10 ms.');
    if (!r.topic.includes('{i}')) throw new RangeError('The topic needs {i} for the sensor number, e.g. sensor/{i}/temperature.');
    const id = this.#next++;
    const clients: string[] = [];
    const tag = Math.random().toString(16).slice(2, 6);
    for (let i = 1; i <= r.count; i++) {
      const name = `${r.name} ${i}`;
      this.#sim.createClient({ ...defaultClientConfig(name, `${r.name.replace(/\W+/g, '_').toLowerCase()}_${i}_${tag}`), version: r.version, keepalive: 60 });
      this.#sim.connect(name);
      clients.push(name);
    }
    const fleet = { view: { ...r, id, published: 0 }, clients, values: clients.map(() => 15 + Math.random() * 10), timer: undefined as TimerId | undefined, slot: 0 };
    this.#fleets.set(id, fleet);
    const tick = () => {
      const f = this.#fleets.get(id);
      if (!f) return;
      // each tick publishes one slot of the fleet: SLOTS ticks make one interval
      for (let i = f.slot; i < clients.length; i += SLOTS) this.#publish(f, i);
      f.slot = (f.slot + 1) % SLOTS;
      f.timer = this.#sim.clock.setTimeout(tick, r.intervalMs / SLOTS);
    };
    fleet.timer = this.#sim.clock.setTimeout(tick, r.intervalMs / SLOTS);
    return { ...fleet.view };
  }

  stop(id: number): void {
    const f = this.#fleets.get(id);
    if (!f) throw new Error(`no sensor fleet ${id}`);
    if (f.timer !== undefined) this.#sim.clock.clearTimeout(f.timer);
    this.#fleets.delete(id);
    for (const n of f.clients) if (this.#sim.clients.has(n)) this.#sim.deleteClient(n);
  }

  list(): FleetView[] {
    return [...this.#fleets.values()].map((f) => ({ ...f.view }));
  }

  #publish(f: { view: FleetView; clients: string[]; values: number[] }, i: number): void {
    const name = f.clients[i]!;
    const c = this.#sim.clients.get(name);
    if (!c || c.vc.status !== 'connected') return;
    const v = (f.values[i] = clamp(f.values[i]! + (Math.random() - 0.5) * 0.6, -20, 50));
    const text = v.toFixed(1);
    const payload = enc.encode(f.view.format === 'msg' ? `{"msg": "${text}"}` : `{"value": ${text}, "unit": "°C"}`);
    this.#sim.publish(name, { topic: f.view.topic.replaceAll('{i}', String(i + 1)), payload, qos: f.view.qos, retain: f.view.retain });
    f.view.published++;
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
