import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decode, encode, type Packet } from '../../../../../worker/protocol';
import { packetFromJson, packetToJson } from '../../../../../src/lib/lab/packet-json';

const text = (s: string) => new TextEncoder().encode(s);

function read(json: string): Packet {
  const r = packetFromJson(json);
  if (!r.ok) throw new Error(`${r.problem.key} ${JSON.stringify(r.problem.params)}`);
  return r.packet;
}

describe('packetFromJson', () => {
  it('takes a plain string payload as UTF-8 text', () => {
    expect(read('{"type":"publish","topic":"a","qos":0,"retain":false,"dup":false,"payload":"héllo"}')).toEqual({
      type: 'publish', topic: 'a', qos: 0, retain: false, dup: false, payload: text('héllo'),
    });
  });

  it('reads {"$text"} and {"$hex"} wherever binary data goes', () => {
    const p = read(JSON.stringify({
      type: 'connect', protocolName: 'MQTT', protocolVersion: 5, cleanStart: true, keepalive: 10, clientId: 'c',
      password: { $hex: 'DE ad:be,ef' },
      will: { topic: 'w', payload: { $text: 'bye' }, qos: 1, retain: false, properties: { correlationData: { $hex: '0x0102' } } },
      properties: { authenticationData: 'abc' },
    }));
    expect(p).toMatchObject({
      password: Uint8Array.from([0xde, 0xad, 0xbe, 0xef]),
      will: { payload: text('bye'), properties: { correlationData: Uint8Array.of(1, 2) } },
      properties: { authenticationData: text('abc') },
    });
  });

  it('lets rule-breaking values through, for encode and the broker to judge', () => {
    expect(read('{"type":"publish","topic":"a/+","qos":3,"packetId":1,"retain":false,"dup":true,"payload":""}')).toMatchObject({ qos: 3, topic: 'a/+' });
  });

  it('reports what it cannot read', () => {
    expect(packetFromJson('{"type": "publish",')).toMatchObject({ ok: false, problem: { key: 'labJsonSyntax' } });
    expect(packetFromJson('[1]')).toMatchObject({ ok: false, problem: { key: 'labJsonNotObject' } });
    expect(packetFromJson('{"type": "publsh"}')).toMatchObject({ ok: false, problem: { key: 'labJsonType' } });
    expect(packetFromJson('{"type":"publish","payload":{"$hex":"0g"}}')).toMatchObject({ ok: false, problem: { key: 'labJsonHexDigits', params: { field: 'payload' } } });
    expect(packetFromJson('{"type":"publish","payload":{"$hex":"012"}}')).toMatchObject({ ok: false, problem: { key: 'labJsonHexOdd' } });
    expect(packetFromJson('{"type":"publish","payload":{"$hex":"01","$text":"a"}}')).toMatchObject({ ok: false, problem: { key: 'labJsonBinaryAlone' } });
    expect(packetFromJson('{"type":"publish","payload":42}')).toMatchObject({ ok: false, problem: { key: 'labJsonBinary', params: { field: 'payload' } } });
  });

  it('gives the line and column of a syntax error when the engine says where', () => {
    const r = packetFromJson('{\n  "type": "publish",\n  "topic" "a"\n}');
    expect(r.ok).toBe(false);
    if (!r.ok && r.problem.line !== undefined) expect(r.problem.line).toBe(3);
  });

  it('warns about fields encode would leave out', () => {
    const r = packetFromJson('{"type":"publish","topc":"a","topic":"b","qos":0,"payload":"","properties":{"contentTyp":"x"},"subscriptions":[]}');
    expect(r.ok && r.warnings.map((w) => w.params?.field)).toEqual(['topc', 'subscriptions', 'properties.contentTyp']);
  });
});

describe('packetToJson', () => {
  it('writes text payloads as strings, other bytes as $text or $hex', () => {
    const json = JSON.parse(packetToJson({
      type: 'publish', topic: 't', qos: 1, packetId: 2, retain: false, dup: false, payload: Uint8Array.of(0, 0xff),
      properties: { correlationData: text('req-1'), userProperties: [['k', 'v']] },
    }));
    expect(json).toEqual({ type: 'publish', topic: 't', qos: 1, packetId: 2, retain: false, dup: false, payload: { $hex: '00 ff' }, properties: { correlationData: { $text: 'req-1' }, userProperties: [['k', 'v']] } });
    expect(Object.keys(json)[0]).toBe('type');
    expect(JSON.parse(packetToJson({ type: 'publish', topic: 't', qos: 0, retain: false, dup: false, payload: text('hi\n') })).payload).toBe('hi\n');
  });

  it('round-trips through packetFromJson to the same packet and the same bytes', () => {
    const arb = fc.record({
      topic: fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !/[+#\u0000\ud800-\udfff]/.test(s)),
      payload: fc.uint8Array({ maxLength: 40 }),
      qos: fc.constantFrom(0, 1, 2),
      retain: fc.boolean(),
      correlation: fc.option(fc.uint8Array({ maxLength: 8 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(arb, (a) => {
        const p: Packet = {
          type: 'publish', topic: a.topic, payload: a.payload, qos: a.qos as 0 | 1 | 2, retain: a.retain, dup: false,
          ...(a.qos > 0 ? { packetId: 9 } : {}),
          ...(a.correlation ? { properties: { correlationData: a.correlation } } : {}),
        };
        const back = read(packetToJson(p));
        expect(back).toEqual(p);
        expect(encode(back, 5)).toEqual(encode(p, 5));
        expect(decode(encode(back, 5), 5)).toEqual(p);
      }),
    );
  });

  it('round-trips a CONNECT with a will and a password', () => {
    const p: Packet = {
      type: 'connect', protocolName: 'MQTT', protocolVersion: 5, cleanStart: false, keepalive: 30, clientId: 'id', username: 'u', password: Uint8Array.of(1, 2, 3),
      will: { topic: 'w', payload: text('gone'), qos: 1, retain: true, properties: { willDelayInterval: 5 } },
      properties: { sessionExpiryInterval: 60 },
    };
    expect(read(packetToJson(p))).toEqual(p);
  });
});
