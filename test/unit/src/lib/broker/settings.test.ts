import { describe, expect, it } from 'vitest';
import { LIMITS, numberText, parseNumberSetting, settingInError, type SettingDef } from '../../../../../src/lib/broker/settings';

type NumberDef = Extract<SettingDef, { kind: 'number' }>;
const def = (key: string) => LIMITS.find((d) => d.key === key) as NumberDef;

describe('the settings table', () => {
  it('has every limit the brief names, once', () => {
    const keys = LIMITS.map((d) => d.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const k of ['maximumQoS', 'retainAvailable', 'maximumPacketSize', 'receiveMaximum', 'maxQueuedMessages', 'queueQos0', 'queuedMessageExpiry', 'serverKeepAlive', 'topicAliasMaximum', 'wildcardSubscriptionAvailable', 'subscriptionIdentifiersAvailable', 'sharedSubscriptionAvailable']) {
      expect(keys).toContain(k);
    }
  });

  it('applies queue limits at once and CONNACK-only values to new connections', () => {
    const applies = (k: string) => LIMITS.find((d) => d.key === k)!.applies;
    expect(applies('maxQueuedMessages')).toBe('now');
    expect(applies('queueQos0')).toBe('now');
    expect(applies('queuedMessageExpiry')).toBe('now');
    expect(applies('serverKeepAlive')).toBe('new');
    expect(applies('maximumPacketSize')).toBe('new');
    expect(applies('maximumQoS')).toBe('both');
  });
});

describe('parseNumberSetting', () => {
  it('takes a whole number in range', () => {
    expect(parseNumberSetting(def('maximumPacketSize'), ' 2048 ')).toEqual({ ok: true, value: 2048 });
    expect(parseNumberSetting(def('maxQueuedMessages'), '0')).toEqual({ ok: true, value: 0 });
  });

  it('refuses what is not a whole number', () => {
    for (const text of ['', 'abc', '1.5', '-3', '1e3', '0x10']) {
      expect(parseNumberSetting(def('receiveMaximum'), text)).toEqual({ ok: false, error: { problem: 'wholeNumber' } });
    }
  });

  it('refuses values out of range, naming the range', () => {
    expect(parseNumberSetting(def('maximumPacketSize'), '10')).toEqual({ ok: false, error: { problem: 'range', min: 64, max: 268_435_460 } });
    expect(parseNumberSetting(def('receiveMaximum'), '0')).toEqual({ ok: false, error: { problem: 'range', min: 1, max: 65_535 } });
    expect(parseNumberSetting(def('topicAliasMaximum'), '99999999999999999999')).toMatchObject({ ok: false, error: { problem: 'range' } });
  });

  it('lets an optional field be empty', () => {
    expect(parseNumberSetting(def('serverKeepAlive'), '  ')).toEqual({ ok: true, value: undefined });
    expect(parseNumberSetting(def('serverKeepAlive'), '30')).toEqual({ ok: true, value: 30 });
  });
});

describe('settingInError', () => {
  it('finds the setting the worker names', () => {
    expect(settingInError('invalid broker configuration: maximumPacketSize must be an integer from 64 to 268435460, got 3')).toBe('maximumPacketSize');
    expect(settingInError('invalid broker configuration: maximumQoS must be 0, 1 or 2')).toBe('maximumQoS');
  });

  it('takes the first named when several are, and a whole word only', () => {
    expect(settingInError('receiveMaximum must be …; topicAliasMaximum must be …')).toBe('receiveMaximum');
    expect(settingInError('maxQueuedMessagesX is odd')).toBeUndefined();
    expect(settingInError('something else went wrong')).toBeUndefined();
  });
});

describe('helpers', () => {
  it('shows an absent value as an empty field', () => {
    expect(numberText(undefined)).toBe('');
    expect(numberText(0)).toBe('0');
  });
});
