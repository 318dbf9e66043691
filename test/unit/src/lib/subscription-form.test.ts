import { describe, expect, it } from 'vitest';
import { emptySubscriptionForm, nextColor, subscriptionFromForm, SUBSCRIPTION_COLORS, type SubscriptionForm } from '../../../../src/lib/subscription-form';

const form = (p: Partial<SubscriptionForm>): SubscriptionForm => ({ ...emptySubscriptionForm(), topic: 'sensor/+/temperature', ...p });

describe('subscriptionFromForm', () => {
  it('makes a 3.1.1 request without 5.0 options', () => {
    expect(subscriptionFromForm(form({ qos: '1', noLocal: true, identifier: '7' }), 4)).toEqual({
      request: { topicFilter: 'sensor/+/temperature', qos: 1, color: SUBSCRIPTION_COLORS[0] },
    });
  });

  it('makes a 5.0 request with its options', () => {
    expect(subscriptionFromForm(form({ qos: '2', noLocal: true, retainAsPublished: true, retainHandling: '2', identifier: ' 42 ', color: '#ABCDEF' }), 5)).toEqual({
      request: { topicFilter: 'sensor/+/temperature', qos: 2, color: '#abcdef', noLocal: true, retainAsPublished: true, retainHandling: 2, identifier: 42 },
    });
    expect(subscriptionFromForm(form({}), 5)).toEqual({
      request: { topicFilter: 'sensor/+/temperature', qos: 0, color: SUBSCRIPTION_COLORS[0], noLocal: false, retainAsPublished: false, retainHandling: 0 },
    });
  });

  it.each(['a/#/b', 'a/b#', 'sport+', 'a/+b/c'])('refuses the filter %s with the reason', (topic) => {
    const r = subscriptionFromForm(form({ topic }), 5);
    expect(r).toEqual({ problems: { topic: { key: 'subTopicInvalid', detail: expect.stringMatching(/must/) } } });
  });

  it('refuses an empty filter and a bad shared subscription', () => {
    expect(subscriptionFromForm(form({ topic: '' }), 5)).toEqual({ problems: { topic: { key: 'subTopicRequired' } } });
    expect(subscriptionFromForm(form({ topic: '$share//a' }), 5)).toMatchObject({ problems: { topic: { key: 'subTopicInvalid' } } });
    // before 5.0, $share is an ordinary first level
    expect(subscriptionFromForm(form({ topic: '$share//a' }), 4)).toHaveProperty('request');
  });

  it.each([
    ['0', 'subIdentifierRange'],
    ['268435456', 'subIdentifierRange'],
    ['-1', 'subIdentifierWhole'],
    ['1.5', 'subIdentifierWhole'],
    ['abc', 'subIdentifierWhole'],
  ])('refuses the identifier %s', (identifier, key) => {
    expect(subscriptionFromForm(form({ identifier }), 5)).toEqual({ problems: { identifier: { key } } });
  });

  it('accepts the identifier bounds', () => {
    expect(subscriptionFromForm(form({ identifier: '1' }), 5)).toMatchObject({ request: { identifier: 1 } });
    expect(subscriptionFromForm(form({ identifier: '268435455' }), 5)).toMatchObject({ request: { identifier: 268_435_455 } });
  });

  it('reports every problem at once', () => {
    const r = subscriptionFromForm(form({ topic: 'a/#/b', identifier: '0', color: 'red' }), 5);
    expect(Object.keys('problems' in r ? r.problems : {}).sort()).toEqual(['color', 'identifier', 'topic']);
  });
});

describe('colours', () => {
  it('picks the first unused colour, then cycles', () => {
    expect(nextColor([])).toBe(SUBSCRIPTION_COLORS[0]);
    expect(nextColor([SUBSCRIPTION_COLORS[0].toUpperCase()])).toBe(SUBSCRIPTION_COLORS[1]);
    expect(nextColor([...SUBSCRIPTION_COLORS, '#000000'])).toBe(SUBSCRIPTION_COLORS[1]);
    expect(emptySubscriptionForm([SUBSCRIPTION_COLORS[0]]).color).toBe(SUBSCRIPTION_COLORS[1]);
  });
});
