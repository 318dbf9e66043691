/**
 * Round trip of every packet type in every protocol version: a random valid
 * packet, in the canonical shape `decode` returns, survives encode → decode
 * unchanged, and its encoding is a fixed point (encode → decode → encode gives
 * the same bytes).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decode, encode, type Packet, type ProtocolVersion } from '../../../../worker/protocol';
import { packetArbOf, packetTypesOf, propertiesArb, versionedPacketArb, VERSIONS } from '../../../helpers/arbitraries';

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

function roundTrip(packet: Packet, version: ProtocolVersion): void {
  const bytes = encode(packet, version);
  const decoded = decode(bytes, version);
  expect(decoded).toEqual(packet);
  expect(hex(encode(decoded, version))).toBe(hex(bytes));
}

describe.each(VERSIONS.map((v) => [v]))('MQTT protocol level %i', (version) => {
  it.each(packetTypesOf(version).map((t) => [t]))('%s: decode(encode(p)) equals p, and re-encoding gives the same bytes', (type) => {
    fc.assert(
      fc.property(packetArbOf(type, version), (packet) => roundTrip(packet, version)),
      { numRuns: type === 'pingreq' || type === 'pingresp' || (type === 'disconnect' && version !== 5) ? 5 : 4000 },
    );
  });
});

describe('round trip across types', () => {
  it('holds for a mix of all packet types and versions', () => {
    fc.assert(fc.property(versionedPacketArb, ({ packet, version }) => roundTrip(packet, version)), { numRuns: 30000 });
  });

  it('keeps repeated user properties in order, duplicates included', () => {
    const pairs: [string, string][] = [['b', '1'], ['a', '2'], ['b', '3'], ['b', '3'], ['', ''], ['温度', '😀']];
    roundTrip({ type: 'puback', packetId: 9, reasonCode: 0, properties: { userProperties: pairs } }, 5);
    roundTrip({ type: 'disconnect', reasonCode: 0, properties: { userProperties: pairs } }, 5);
  });

  it('decodes several Subscription Identifiers of a PUBLISH as an array, in order', () => {
    roundTrip({
      type: 'publish', topic: 'a/b', payload: new Uint8Array([1]), qos: 1, retain: false, dup: false, packetId: 1,
      properties: { subscriptionIdentifier: [268_435_455, 1, 128, 1] },
    }, 5);
  });

  it('accepts Authentication Data with an empty (but present) Authentication Method', () => {
    // §3.1.2.11.10 forbids data without a method property; an empty method string is still a method
    const properties = { authenticationMethod: '', authenticationData: new Uint8Array([1, 2]) };
    roundTrip({ type: 'auth', reasonCode: 0x18, properties }, 5);
    roundTrip({ type: 'connack', sessionPresent: false, reasonCode: 0, properties }, 5);
    roundTrip({ type: 'connect', protocolName: 'MQTT', protocolVersion: 5, cleanStart: true, keepalive: 60, clientId: 'c', properties }, 5);
  });

  it('generates every property the table allows in PUBLISH, will and CONNACK', () => {
    // guards the generators: each allowed property shows up in a modest sample
    for (const ctx of ['publish', 'will', 'connack', 'connect', 'disconnect'] as const) {
      const seen = new Set<string>();
      for (const p of fc.sample(propertiesArb(ctx), { numRuns: 300, seed: 7 })) for (const k of Object.keys(p ?? {})) seen.add(k);
      const allowed = {
        publish: ['payloadFormatIndicator', 'messageExpiryInterval', 'contentType', 'responseTopic', 'correlationData', 'subscriptionIdentifier', 'topicAlias', 'userProperties'],
        will: ['payloadFormatIndicator', 'messageExpiryInterval', 'contentType', 'responseTopic', 'correlationData', 'willDelayInterval', 'userProperties'],
        connack: ['sessionExpiryInterval', 'assignedClientIdentifier', 'serverKeepAlive', 'authenticationMethod', 'authenticationData', 'responseInformation', 'serverReference', 'reasonString', 'receiveMaximum', 'topicAliasMaximum', 'maximumQoS', 'retainAvailable', 'userProperties', 'maximumPacketSize', 'wildcardSubscriptionAvailable', 'subscriptionIdentifiersAvailable', 'sharedSubscriptionAvailable'],
        connect: ['sessionExpiryInterval', 'authenticationMethod', 'authenticationData', 'requestProblemInformation', 'requestResponseInformation', 'receiveMaximum', 'topicAliasMaximum', 'userProperties', 'maximumPacketSize'],
        disconnect: ['sessionExpiryInterval', 'serverReference', 'reasonString', 'userProperties'],
      }[ctx];
      expect([...seen].sort()).toEqual([...allowed].sort());
    }
  });
});
