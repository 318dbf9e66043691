/**
 * Every example's claims, checked: its bytes decode to the MqttError with the
 * stated reason code (or decode, when the rule is about the connection's
 * state), the lab predicts what it says, and a real Broker on an established
 * connection does exactly that.
 */
import { describe, expect, it } from 'vitest';
import { decode, MqttError, type ProtocolVersion } from '../../../../../worker/protocol';
import { brokerHarness, settle } from '../../../../helpers/broker-harness';
import { compile } from '../../../../../src/lib/lab/compile';
import { EXAMPLES } from '../../../../../src/lib/lab/examples';
import { disconnectCode } from '../../../../../src/lib/lab/predict';

function bytesOf(id: string, version?: ProtocolVersion): Uint8Array {
  const e = EXAMPLES.find((x) => x.id === id)!;
  const c = compile(e.format, e.source, version ?? e.version);
  if (!c.bytes) throw new Error(`${id}: ${c.problem?.key ?? c.encodeError}`);
  return c.bytes;
}

describe('the examples', () => {
  it('cover the rules the lab promises', () => {
    expect(EXAMPLES.map((e) => e.id)).toEqual([
      'valid-publish', 'wildcard-topic', 'reserved-flags', 'qos-3', 'length-more', 'length-less', 'bad-utf8', 'second-connect', 'duplicate-property', 'subscription-id-0',
    ]);
    for (const e of EXAMPLES) if (e.id !== 'valid-publish') expect(e.rule, e.id).toBeDefined();
    expect(EXAMPLES.find((e) => e.id === 'qos-3')!.rule!.id).toBe('MQTT-3.3.1-4');
    expect(EXAMPLES.find((e) => e.id === 'wildcard-topic')!.rule!.id).toBe('MQTT-3.3.2-2');
    expect(EXAMPLES.find((e) => e.id === 'reserved-flags')!.rule!.id).toBe('MQTT-3.8.1-1');
    expect(EXAMPLES.find((e) => e.id === 'bad-utf8')!.rule!.id).toBe('MQTT-1.5.4-1');
    expect(EXAMPLES.find((e) => e.id === 'second-connect')!.rule!.id).toBe('MQTT-3.1.0-2');
  });

  for (const e of EXAMPLES) {
    it(`${e.id}: builds without a problem, and decode ${e.decodes === 'ok' ? 'accepts it' : `throws 0x${e.decodes.toString(16)}`}`, () => {
      const c = compile(e.format, e.source, e.version);
      expect(c.problem).toBeUndefined();
      expect(c.encodeError).toBeUndefined();
      expect(c.warnings).toEqual([]);
      const bytes = c.bytes!;
      if (e.decodes === 'ok') {
        expect(() => decode(bytes, e.version)).not.toThrow();
      } else {
        let err: unknown;
        try {
          decode(bytes, e.version);
        } catch (x) {
          err = x;
        }
        expect(err).toBeInstanceOf(MqttError);
        expect((err as MqttError).reasonCode).toBe(e.decodes);
        // the dissection marks the same failure
        expect(c.tree?.reasonCode).toBe(e.decodes);
      }
    });

    it(`${e.id}: the lab predicts what the example says`, () => {
      const p = compile(e.format, e.source, e.version).prediction;
      const x = e.expect;
      if (x.kind === 'fails') expect(p).toMatchObject({ kind: 'fails', reasonCode: x.reasonCode });
      else if (x.kind === 'waits') expect(p.kind).toBe('waits');
      else expect(p).toMatchObject({ kind: 'accepted', reply: x.reply });
    });

    it(`${e.id}: the broker does what the example says (MQTT ${e.version === 5 ? '5.0' : '3.1.1'})`, async () => {
      const { client } = brokerHarness();
      const c = await client(e.version).connect({ clientId: 'lab' });
      c.sendRaw(bytesOf(e.id));
      await settle();
      const x = e.expect;
      if (x.kind === 'fails') {
        if (e.version === 5) await c.expect({ type: 'disconnect', reasonCode: disconnectCode(x.reasonCode) });
        await c.expectClosed();
        expect(c.received).toEqual([]);
      } else if (x.kind === 'waits') {
        await c.expectNothing();
        expect(c.closed).toBe(false);
      } else {
        await c.expect({ type: x.reply! });
        expect(c.closed).toBe(false);
      }
    });
  }

  it('the same failures close a 3.1.1 connection without a word', async () => {
    for (const e of EXAMPLES.filter((x) => x.expect.kind === 'fails' && x.version === 5 && x.id !== 'duplicate-property' && x.id !== 'subscription-id-0')) {
      const { client } = brokerHarness();
      const c = await client(4).connect({ clientId: 'lab' });
      c.sendRaw(bytesOf(e.id, 4));
      await c.expectClosed();
      expect(c.received, e.id).toEqual([]);
    }
  });
});
