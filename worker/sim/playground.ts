/**
 * The worker's API over the simulation: what the page calls through
 * Comlink. Requests the learner can get wrong answer with a Result instead
 * of throwing, so the UI shows the reason next to the control.
 */
import type { PlaygroundApi, PlaygroundStatus, Result, VersionInfo } from '../api';
import { decode, encode, PROTOCOL_NAMES, PROTOCOL_VERSIONS, VERSION_LABELS } from '../protocol';
import { ConfigError, Simulation, type SimulationOptions } from './simulation';
import { runLoad } from './load';
import { capturePcapng, type PcapExportRequest } from './pcap';
import { IN_PAGE } from './client-config';

export interface PlaygroundOptions extends SimulationOptions {
  host?: PlaygroundStatus['host'];
  storage?: PlaygroundStatus['storage'];
}

function selfCheck(): { versions: VersionInfo[]; check: PlaygroundStatus['selfCheck'] } {
  const versions: VersionInfo[] = [];
  try {
    let bytes = 0;
    for (const level of PROTOCOL_VERSIONS) {
      const packet = { type: 'connect', protocolName: PROTOCOL_NAMES[level], protocolVersion: level, cleanStart: true, keepalive: 60, clientId: 'self-check' } as const;
      const wire = encode(packet, level);
      const back = decode(wire, level);
      if (back.type !== 'connect' || back.protocolVersion !== level) throw new Error(`level ${level} did not survive a round trip`);
      bytes += wire.length;
      versions.push({ level, label: VERSION_LABELS[level], protocolName: PROTOCOL_NAMES[level] });
    }
    return { versions, check: { ok: true, bytes } };
  } catch (e) {
    return { versions, check: { ok: false, error: e instanceof Error ? e.message : String(e) } };
  }
}

function attempt<T>(f: () => T): Result<T> {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    if (e instanceof ConfigError) return { ok: false, error: e.message, problems: e.problems };
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

export function createPlayground(o: PlaygroundOptions = {}): PlaygroundApi & { simulation: Simulation } {
  const startedAt = performance.now();
  const { versions, check } = selfCheck();
  const sim = new Simulation(o);
  const storage = o.storage ?? { kind: 'memory', notice: undefined };
  const storageNow = (): PlaygroundStatus['storage'] => (sim.storageNotice ? { kind: storage.kind, notice: sim.storageNotice } : storage);
  return {
    simulation: sim,
    status: () => {
      const b = sim.broker;
      return {
        host: o.host ?? 'worker', versions, startedAt, selfCheck: check, storage: storageNow(),
        broker: { version: b.config.version, maximumQoS: b.config.maximumQoS, retainAvailable: b.config.retainAvailable, sessions: b.registry.sessions.size, connected: b.stats.connected },
      };
    },
    subscribe: (listener) => {
      sim.onBatch(listener);
    },
    createClient: (c) => attempt(() => sim.createClient(c)),
    createClients: (cs) => cs.map((c) => attempt(() => sim.createClient(c))),
    updateClient: (n, c) => attempt(() => sim.updateClient(n, c)),
    deleteClient: (n) => attempt(() => sim.deleteClient(n)),
    duplicateClient: (n) => attempt(() => sim.duplicateClient(n)),
    clients: () => sim.views(),
    connect: (n) => attempt(() => sim.connect(n)),
    disconnect: (n, rc, props) => attempt(() => sim.disconnect(n, rc, props)),
    kill: (n) => attempt(() => sim.kill(n)),
    cut: (n) => attempt(() => sim.cut(n)),
    restore: (n) => attempt(() => sim.restore(n)),
    setNetwork: (n, c) => attempt(() => sim.setNetwork(n, c)),
    publish: (n, r) => attempt(() => sim.publish(n, r)),
    subscribeTopic: (n, r) => attempt(() => sim.subscribe(n, r)),
    unsubscribeTopic: (n, f) => attempt(() => sim.unsubscribe(n, f)),
    messages: (n, after) => sim.messages(n, after),
    clearMessages: (n) => attempt(() => sim.clearMessages(n)),
    sendRaw: (n, bytes) => attempt(() => sim.sendRaw(n, bytes)),
    clock: () => sim.clock.state,
    pause: () => sim.clock.pause(),
    play: () => sim.clock.play(),
    setSpeed: (s) => attempt(() => sim.clock.setSpeed(s)),
    step: () => sim.clock.step(),
    advance: (ms) => sim.clock.advance(ms),
    dissection: (seq) => sim.capture.dissection(seq),
    captureRange: (from, to) => sim.capture.range(from, to),
    clearCapture: () => sim.capture.clear(),
    setCaptureCapacity: (c) => attempt(() => sim.capture.setCapacity(c)),
    setCaptureBatchLimit: (n) => attempt(() => sim.capture.setBatchLimit(n)),
    exportPcap: (r) => exportPcap(sim, r),
    brokerSnapshot: () => sim.brokerSnapshot(),
    setUser: (u, p) => attempt(() => sim.setUser(u, p)),
    removeUser: (u) => attempt(() => sim.removeUser(u)),
    topics: () => ({ version: sim.topics.version, topics: sim.topics.stats() }),
    watchTopic: (topic, watch) => sim.topics.watch(topic, watch),
    topicHistory: (topic, after) => sim.topics.history(topic, after),
    clearTopics: () => sim.topics.clear(),
    configureBroker: (p) => attempt(() => sim.configureBroker(p)),
    deleteRetained: (t) => sim.deleteRetained(t),
    restartBroker: (keep) => sim.restartBroker(keep),
    startSensors: (r) => attempt(() => sim.sensors.start(r)),
    stopSensors: (id) => attempt(() => sim.sensors.stop(id)),
    sensorFleets: () => sim.sensors.list(),
    loadTest: async (r) => {
      try {
        return { ok: true, value: await runLoad(sim, r) };
      } catch (e) {
        return { ok: false, error: e instanceof Error ? e.message : String(e) };
      }
    },
    workspaceGet: (key) => sim.workspace.get(key),
    workspaceSet: async (key, value) => {
      try {
        await sim.workspace.set(key, value);
        return { ok: true, value: undefined };
      } catch (e) {
        return { ok: false, error: e instanceof Error ? e.message : String(e) };
      }
    },
  };
}

/** The capture as pcapng: the frames asked for, with connections to remote brokers marked as such. */
function exportPcap(sim: Simulation, r: PcapExportRequest = {}): Uint8Array {
  if (r.time !== undefined && r.time !== 'wall' && r.time !== 'virtual') throw new RangeError('time is "wall" or "virtual"');
  const only = r.clients ? new Set(r.clients) : undefined;
  const picked = r.seqs ? new Set(r.seqs) : undefined;
  const frames = sim.capture.rawFrames(r.from, r.to).filter((f) => (!only || only.has(f.frame.link)) && (!picked || picked.has(f.frame.seq)));
  const remote: Record<string, string> = {};
  for (const [name, c] of sim.clients) if (c.config.host !== IN_PAGE) remote[name] = c.config.host;
  return capturePcapng(frames, { time: r.time, includeLost: r.includeLost, remote });
}
