import { describe, expect, it } from 'vitest';
import { ackPacket, formatDateTime, formatTime, messageProperties, reasonLabel } from '../../../../src/lib/message-meta';

describe('times', () => {
  it('formats virtual time in the local zone, to the millisecond', () => {
    const at = new Date(2024, 4, 1, 14, 3, 7, 5).getTime();
    expect(formatTime(at)).toBe('14:03:07.005');
    expect(formatDateTime(at)).toBe('2024-05-01 14:03:07.005');
  });
});

describe('reason codes', () => {
  it('names a code as the packet uses it', () => {
    expect(reasonLabel(0x87, 'suback')).toBe('0x87 Not authorized');
    expect(reasonLabel(0x10, 'puback')).toBe('0x10 No matching subscribers');
    expect(reasonLabel(0x00, 'suback')).toBe('0x00 Granted QoS 0');
    expect(reasonLabel(0x8f)).toBe('0x8f Topic Filter invalid');
    expect(reasonLabel(0x7f)).toBe('0x7f Unknown reason code');
  });

  it('knows which packet acknowledges a publication', () => {
    expect(ackPacket(1)).toBe('puback');
    expect(ackPacket(2)).toBe('pubrec');
  });
});

describe('messageProperties', () => {
  it('lists nothing without properties', () => {
    expect(messageProperties(undefined)).toEqual([]);
    expect(messageProperties({})).toEqual([]);
  });

  it('lists the PUBLISH properties in the order of the specification', () => {
    const rows = messageProperties({
      userProperties: [['unit', 'C'], ['site', 'lab']],
      correlationData: new Uint8Array([0xca, 0xfe]),
      responseTopic: 'reply/1',
      contentType: 'application/json',
      messageExpiryInterval: 60,
      payloadFormatIndicator: true,
      subscriptionIdentifier: [3, 9],
      topicAlias: 2,
    });
    expect(rows.map((r) => [r.label, r.value])).toEqual([
      ['msgPayloadFormatIndicator', '1'],
      ['msgMessageExpiryInterval', '60'],
      ['msgContentType', 'application/json'],
      ['msgResponseTopic', 'reply/1'],
      ['msgCorrelationData', 'ca fe'],
      ['msgSubscriptionIdentifier', '3, 9'],
      ['msgTopicAlias', '2'],
      ['msgUserProperties', 'unit: C'],
      ['msgUserProperties', 'site: lab'],
    ]);
    expect(rows[0]!.words).toBe('msgPayloadUtf8');
    expect(messageProperties({ payloadFormatIndicator: false })[0]!.words).toBe('msgPayloadBytes');
    expect(messageProperties({ subscriptionIdentifier: 5 })[0]!.value).toBe('5');
  });

  it('cuts long correlation data', () => {
    const v = messageProperties({ correlationData: new Uint8Array(100) })[0]!.value;
    expect(v).toMatch(/^(00 ){63}00 … \(100 B\)$/);
  });
});
