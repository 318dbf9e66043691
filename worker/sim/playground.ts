/**
 * The composition root of everything that runs in the worker. For now it
 * proves the codec works in this host: each protocol level's CONNECT is
 * encoded and decoded at start-up, and only the levels that pass are reported.
 */
import type { PlaygroundApi, PlaygroundStatus, VersionInfo } from '../api';
import { decode, encode, PROTOCOL_NAMES, PROTOCOL_VERSIONS, VERSION_LABELS } from '../protocol';

export function createPlayground(host: PlaygroundStatus['host'] = 'worker'): PlaygroundApi {
  const startedAt = performance.now();
  const versions: VersionInfo[] = [];
  let selfCheck: PlaygroundStatus['selfCheck'];
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
    selfCheck = { ok: true, bytes };
  } catch (e) {
    selfCheck = { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  return {
    status: () => ({ host, versions, startedAt, selfCheck }),
  };
}
