/**
 * The pcapng export read by Debian's tshark: the simulation plays the
 * tutorial's walkthrough (wildcards with two sensors, retained messages, a
 * 3.1.1 persistent session with three QoS 1 messages, the will after a
 * pulled cable) and a QoS 2 exchange; tshark must dissect every frame that
 * carries MQTT as MQTT, with no malformed packet, no bad checksum and no
 * warning, and find the same packets in the same order as our capture.
 * Skipped only when tshark is missing (.ci/run installs it).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decode } from '../../worker/protocol';
import { createPlayground } from '../../worker/sim/playground';
import { SimClock } from '../../worker/time/sim-clock';
import { settle, text } from '../helpers/broker-harness';
import { helpText, run } from '../helpers/processes';
import { walkthrough } from '../helpers/walkthrough';

const TSHARK = 'tshark';
const tsharkHelp = helpText(TSHARK);
if (!tsharkHelp) console.warn('pcap export interop test skipped: tshark not installed (apt-get install tshark)');

const MSGTYPE: Record<string, number> = {
  connect: 1, connack: 2, publish: 3, puback: 4, pubrec: 5, pubrel: 6, pubcomp: 7, subscribe: 8,
  suback: 9, unsubscribe: 10, unsuback: 11, pingreq: 12, pingresp: 13, disconnect: 14, auth: 15,
};
/** Expert info severities of Wireshark (epan/proto.h): PI_WARN and PI_ERROR. */
const PI_WARN = 0x00600000;

const dir = mkdtempSync(join(tmpdir(), 'pcap-tshark-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The walkthrough and a QoS 2 exchange, on a paused virtual clock. */
async function playWalkthrough() {
  const clock = new SimClock(1_700_000_000_000, () => 0);
  clock.pause();
  const pg = createPlayground({ host: 'node', clock, schedule: () => {}, broker: { sysInterval: 0 } });
  const sim = pg.simulation;
  for await (const stage of walkthrough(sim, clock)) void stage;

  sim.subscribe('Simple Demo', { topicFilter: 'qos2/#', qos: 2 });
  await settle();
  sim.publish('Sensor 1', { topic: 'qos2/exactly-once', payload: text('42'), qos: 2, retain: false });
  for (let i = 0; i < 4; i++) await settle();
  sim.unsubscribe('Simple Demo', 'qos2/#');
  await settle();
  sim.disconnect('Sensor 2');
  await settle();
  return pg;
}

/** What a frame should show in tshark: message type, topics (of PUBLISH, SUBSCRIBE, UNSUBSCRIBE) and packet id. */
function expected(type: string | undefined, bytes: Uint8Array, version: 3 | 4 | 5): string {
  const p = decode(bytes, version);
  const topics = p.type === 'publish' ? [p.topic] : p.type === 'subscribe' ? p.subscriptions.map((s) => s.topicFilter) : p.type === 'unsubscribe' ? p.topicFilters : [];
  const id = 'packetId' in p && p.packetId !== undefined ? String(p.packetId) : '';
  return `${MSGTYPE[type ?? '']}|${topics.join(',')}|${id}`;
}

/** tshark's reading of `bytes`: one row of fields per frame. */
async function tshark(bytes: Uint8Array, name: string, fields: string[]): Promise<string[][]> {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  const r = await run(TSHARK, [
    '-r', file, '-d', 'tcp.port==1883,mqtt',
    '-o', 'tcp.desegment_tcp_streams:TRUE', '-o', 'ip.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE',
    '-T', 'fields', '-E', 'separator=|', '-E', 'occurrence=a', '-E', 'aggregator=,', ...fields.flatMap((f) => ['-e', f]),
  ], 30_000);
  expect(r.code, r.err).toBe(0);
  return r.out.trim().split('\n').map((l) => l.split('|'));
}

describe.skipIf(!tsharkHelp)('pcap export read by tshark', () => {
  it('dissects every MQTT frame of the walkthrough as MQTT, as our capture recorded it', async () => {
    const pg = await playWalkthrough();
    try {
      const frames = pg.simulation.capture.rawFrames();
      const types = new Set(frames.map((f) => f.frame.type));
      for (const t of ['connect', 'subscribe', 'suback', 'publish', 'puback', 'pubrec', 'pubrel', 'pubcomp', 'pingreq', 'unsubscribe', 'disconnect']) expect(types).toContain(t);
      expect(frames.some((f) => f.frame.lost)).toBe(true);
      const rows = await tshark(pg.exportPcap(), 'walkthrough.pcapng', [
        'frame.number', 'mqtt.msgtype', 'mqtt.topic', 'mqtt.msgid', 'tcp.len', '_ws.malformed', '_ws.expert.severity', '_ws.expert.message',
      ]);
      const problems = rows.filter(([, , , , , malformed, severity]) => malformed || (severity ?? '').split(',').some((s) => Number(s) >= PI_WARN));
      expect(problems.map((row) => `frame ${row[0]}: ${row[7]}`)).toEqual([]);
      // every segment with a payload carries MQTT, and only those
      for (const [n, type, , , len] of rows) expect(`frame ${n}: ${type ? 'MQTT' : '-'}`).toBe(`frame ${n}: ${Number(len) > 0 ? 'MQTT' : '-'}`);
      const seen = rows.filter(([, type]) => type).map(([, type, topic, id]) => `${type}|${topic}|${id}`);
      expect(seen).toEqual(frames.map((f) => expected(f.frame.type, f.bytes, f.frame.version)));
    } finally {
      pg.simulation.dispose();
    }
  });

  it('leaves lost frames out when asked, and stamps frames with virtual time', async () => {
    const pg = await playWalkthrough();
    try {
      const kept = pg.simulation.capture.rawFrames().filter((f) => !f.frame.lost);
      const rows = await tshark(pg.exportPcap({ time: 'virtual', includeLost: false }), 'virtual.pcapng', ['frame.time_epoch', 'mqtt.msgtype', 'frame.comment']);
      const mqtt = rows.filter(([, type]) => type);
      expect(mqtt).toHaveLength(kept.length);
      expect(mqtt.map(([t]) => Math.round(Number(t) * 1000))).toEqual(kept.map((f) => f.frame.sentAt));
      expect(rows.some(([, , comment]) => comment?.includes('Lost'))).toBe(false);
    } finally {
      pg.simulation.dispose();
    }
  });
});
