/**
 * npm run bench: the protocol codec against mqtt-packet, in the same run.
 * Encode and decode of PUBLISH (QoS 0 and 1; 3.1.1, and 5.0 with
 * properties; 16-byte and 1 KiB payloads) and CONNECT, as packets/s and the
 * ratio to mqtt-packet (target: at least 2x); dissect of a 1 KiB PUBLISH
 * (target: under 50 µs); and a fuzz run over 1,000,000 random and mutated
 * inputs, in which only MqttError may be thrown.
 */
import mqtt from 'mqtt-packet';
import { decode, dissect, encode, Framer, MqttError, type Packet, type ProtocolVersion } from '../worker/protocol';
import { fmt, printTable, sideBySide } from './harness';
import { fuzzInputs } from '../test/helpers/fuzz-inputs';

interface Case {
  name: string;
  version: ProtocolVersion;
  ours: Packet;
  theirs: mqtt.Packet;
}

const enc = new TextEncoder();
const payload16 = enc.encode('{"msg": "17.2"} ');
const payload1k = new Uint8Array(1024).map((_, i) => 32 + (i % 90));
const props5 = {
  contentType: 'application/json',
  messageExpiryInterval: 300,
  userProperties: [['unit', 'celsius'], ['site', 'lab-1']] as [string, string][],
};
const props5Theirs = { contentType: 'application/json', messageExpiryInterval: 300, userProperties: { unit: 'celsius', site: 'lab-1' } };

function publishCase(version: 4 | 5, qos: 0 | 1, payload: Uint8Array): Case {
  const topic = 'sensor/1/temperature';
  const ours: Packet = { type: 'publish', topic, payload, qos, retain: false, dup: false };
  const theirs: Record<string, unknown> = { cmd: 'publish', topic, payload: Buffer.from(payload), qos, retain: false, dup: false };
  if (qos > 0) {
    ours.packetId = 42;
    theirs.messageId = 42;
  }
  if (version === 5) {
    ours.properties = props5;
    theirs.properties = props5Theirs;
  }
  const label = `PUBLISH ${version === 5 ? '5.0+props' : '3.1.1'} QoS ${qos} ${payload.length === 1024 ? '1 KiB' : '16 B'}`;
  return { name: label, version, ours, theirs: theirs as unknown as mqtt.Packet };
}

function connectCase(version: 4 | 5): Case {
  const ours: Packet = {
    type: 'connect', protocolName: 'MQTT', protocolVersion: version, cleanStart: true, keepalive: 60, clientId: 'mqttx_2b4a9c1e',
    username: 'learner', password: enc.encode('secret'),
    will: { topic: 'last_will', payload: enc.encode('offline'), qos: 1, retain: true },
  };
  const theirs: Record<string, unknown> = {
    cmd: 'connect', protocolId: 'MQTT', protocolVersion: version, clean: true, keepalive: 60, clientId: 'mqttx_2b4a9c1e',
    username: 'learner', password: Buffer.from('secret'),
    will: { topic: 'last_will', payload: Buffer.from('offline'), qos: 1, retain: true },
  };
  if (version === 5) {
    ours.properties = { sessionExpiryInterval: 3600, receiveMaximum: 100 };
    theirs.properties = { sessionExpiryInterval: 3600, receiveMaximum: 100 };
  }
  return { name: `CONNECT ${version === 5 ? '5.0' : '3.1.1'}`, version, ours, theirs: theirs as unknown as mqtt.Packet };
}

const cases: Case[] = [
  publishCase(4, 0, payload16), publishCase(4, 0, payload1k), publishCase(4, 1, payload16), publishCase(4, 1, payload1k),
  publishCase(5, 0, payload16), publishCase(5, 0, payload1k), publishCase(5, 1, payload16), publishCase(5, 1, payload1k),
  connectCase(4), connectCase(5),
];

const quick = process.argv.includes('--quick');
const opts = quick ? { rounds: 3, ms: 60 } : { rounds: 7, ms: 150 };
const results: Record<string, unknown>[] = [];
const rows: (string | number)[][] = [];
let sink = 0;

for (const c of cases) {
  const bytes = encode(c.ours, c.version);
  const buf = Buffer.from(bytes);
  const theirsBytes = mqtt.generate(c.theirs, { protocolVersion: c.version });
  // same message, same size: the comparison is like for like
  if (theirsBytes.length !== bytes.length) throw new Error(`${c.name}: sizes differ (${bytes.length} vs ${theirsBytes.length})`);
  const parser = mqtt.parser({ protocolVersion: c.version });
  parser.on('packet', () => sink++);
  parser.on('error', (e) => {
    throw e;
  });
  const m = sideBySide(
    {
      encode: () => encode(c.ours, c.version),
      encodeRef: () => mqtt.generate(c.theirs, { protocolVersion: c.version }),
      decode: () => decode(bytes, c.version),
      decodeRef: () => parser.parse(buf),
    },
    opts,
  );
  const encRatio = m.encode!.opsPerSec / m.encodeRef!.opsPerSec;
  const decRatio = m.decode!.opsPerSec / m.decodeRef!.opsPerSec;
  rows.push([c.name, bytes.length, fmt(m.encode!.opsPerSec), fmt(m.encodeRef!.opsPerSec), `${encRatio.toFixed(2)}x`, fmt(m.decode!.opsPerSec), fmt(m.decodeRef!.opsPerSec), `${decRatio.toFixed(2)}x`]);
  results.push({
    case: c.name, bytes: bytes.length,
    encode: Math.round(m.encode!.opsPerSec), encodeMqttPacket: Math.round(m.encodeRef!.opsPerSec), encodeRatio: +encRatio.toFixed(3),
    decode: Math.round(m.decode!.opsPerSec), decodeMqttPacket: Math.round(m.decodeRef!.opsPerSec), decodeRatio: +decRatio.toFixed(3),
  });
}

console.log('\nEncode and decode, packets/s (median of rounds, side by side with mqtt-packet in the same run)\n');
printTable(['case', 'bytes', 'encode', 'mqtt-packet', 'ratio', 'decode', 'mqtt-packet', 'ratio'], rows);

// dissect of a 1 KiB PUBLISH, 5.0 with properties
const big = encode(cases[7]!.ours, 5);
const d = sideBySide({ dissect: () => dissect(big, 5) }, opts).dissect!;
const dissectMicros = 1e6 / d.opsPerSec;
console.log(`\ndissect of a ${big.length}-byte PUBLISH (5.0, properties): ${dissectMicros.toFixed(2)} µs (target < 50 µs)`);

// fuzz: only MqttError may escape decode and Framer; dissect never throws
const fuzzCount = quick ? 100_000 : 1_000_000;
const t0 = performance.now();
const fuzz = { inputs: 0, decoded: 0, mqttErrors: 0, otherErrors: 0, dissectErrors: 0, framerErrors: 0, firstOther: '' };
for (const input of fuzzInputs(fuzzCount, 20261129)) {
  fuzz.inputs++;
  for (const v of [4, 5] as const) {
    try {
      decode(input, v);
      fuzz.decoded++;
    } catch (e) {
      if (e instanceof MqttError && e.reasonCode >= 0x80) fuzz.mqttErrors++;
      else {
        fuzz.otherErrors++;
        fuzz.firstOther ||= `${(e as Error)?.stack ?? e}`;
      }
    }
  }
  if (fuzz.inputs % 10 === 0) {
    try {
      dissect(input, 5);
    } catch {
      fuzz.dissectErrors++;
    }
    try {
      new Framer({ maximumPacketSize: 4096 }).push(input);
    } catch (e) {
      if (!(e instanceof MqttError)) fuzz.framerErrors++;
    }
  }
}
const fuzzSeconds = (performance.now() - t0) / 1000;
console.log(`\nfuzz: ${fuzz.inputs.toLocaleString('en-US')} inputs in ${fuzzSeconds.toFixed(1)} s, each decoded as 3.1.1 and 5.0: ${fuzz.decoded} decoded, ${fuzz.mqttErrors} MqttError, ${fuzz.otherErrors} other exceptions; dissect threw ${fuzz.dissectErrors} times; Framer threw a non-MqttError ${fuzz.framerErrors} times`);
if (fuzz.firstOther) console.log(fuzz.firstOther);

const minEnc = Math.min(...results.map((r) => r.encodeRatio as number));
const minDec = Math.min(...results.map((r) => r.decodeRatio as number));
const verdict = {
  encodeAtLeast2x: minEnc >= 2,
  decodeAtLeast2x: minDec >= 2,
  dissectUnder50us: dissectMicros < 50,
  fuzzOnlyMqttError: fuzz.otherErrors === 0 && fuzz.dissectErrors === 0 && fuzz.framerErrors === 0 && fuzz.inputs >= fuzzCount,
};
console.log(`\nlowest ratios: encode ${minEnc.toFixed(2)}x, decode ${minDec.toFixed(2)}x`);
console.log(`targets: ${Object.entries(verdict).map(([k, v]) => `${k} ${v ? 'met' : 'NOT met'}`).join(', ')}`);
console.log('\nJSON');
console.log(JSON.stringify({ node: process.version, quick, cases: results, dissectMicros: +dissectMicros.toFixed(3), fuzz: { ...fuzz, seconds: +fuzzSeconds.toFixed(2) }, verdict, sink: sink > 0 }, null, 2));
process.exitCode = Object.values(verdict).every(Boolean) ? 0 : 1;
