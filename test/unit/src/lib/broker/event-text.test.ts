import { afterEach, describe, expect, it, vi } from 'vitest';

// the i18n module reads localStorage and document at start: give it what a page has
vi.stubGlobal('localStorage', { getItem: () => null, setItem: () => undefined });
vi.stubGlobal('document', { documentElement: { lang: 'en' } });
vi.stubGlobal('navigator', { language: 'en-US' });

const { eventText } = await import('../../../../../src/lib/broker/event-text');
const { i18n } = await import('../../../../../src/lib/i18n/index.svelte');

afterEach(() => i18n.set('en'));

describe('the broker decisions in the page language', () => {
  it('says each decision in English and in Chinese, translating known reasons', () => {
    const dropped = { kind: 'dropped', clientId: 'X', topic: 'sensor/1/temperature', reason: 'not authorised to publish here' } as const;
    expect(eventText(dropped)).toBe('message to sensor/1/temperature dropped for X: not authorised to publish here');
    expect(eventText({ kind: 'subscribed', clientId: 'a', topicFilter: '#', qos: 2, reasonCode: 0x87 })).toBe('subscription of a to # refused (0x87)');
    expect(eventText({ kind: 'routed', from: '', topic: '$SYS/broker/uptime', qos: 0, retain: true, receivers: 0 })).toBe("the broker's message to $SYS/broker/uptime routed to 0 subscribers");
    i18n.set('zh-CN');
    expect(eventText(dropped)).toBe('发往 sensor/1/temperature 的消息对 X 丢弃：无权在此发布');
    expect(eventText({ kind: 'client-connected', clientId: 'a', version: 4, sessionPresent: true, cleanStart: false })).toBe('a 已连接（MQTT 3.1.1），会话已恢复');
  });
});
