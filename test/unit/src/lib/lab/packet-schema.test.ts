import { describe, expect, it } from 'vitest';
import { PACKET_FIELDS, PACKET_TYPE_NAMES } from '../../../../../src/lib/lab/packet-json';
import { packetSchema } from '../../../../../src/lib/lab/packet-schema';

describe('packetSchema', () => {
  const schema = packetSchema((k) => k) as { allOf: { if: { properties: { type: { const: string } } }; then: { properties: Record<string, unknown> } }[] };

  it('has one branch per packet type, with the fields packet-json knows', () => {
    expect(schema.allOf.map((b) => b.if.properties.type.const)).toEqual(PACKET_TYPE_NAMES);
    for (const b of schema.allOf) {
      const type = b.if.properties.type.const as keyof typeof PACKET_FIELDS;
      expect(Object.keys(b.then.properties).filter((k) => k !== 'type').sort(), type).toEqual([...PACKET_FIELDS[type]].sort());
    }
  });

  it('is plain JSON (it crosses to Monaco\'s worker)', () => {
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });
});
