import { describe, expect, it } from 'vitest';
import { buildPublish, emptyDraft, emptyProperties, propertiesFromForm, propertyCount, topicProblem, type PropertiesForm, type PublishDraft } from '../../../../src/lib/publish-form';

const draft = (d: Partial<PublishDraft> = {}): PublishDraft => ({ ...emptyDraft(), ...d });
const props = (p: Partial<PropertiesForm>): PropertiesForm => ({ ...emptyProperties(), ...p });
const utf8 = (s: string) => new TextEncoder().encode(s);

describe('topicProblem (through topicNameProblem)', () => {
  it('accepts topic names', () => {
    expect(topicProblem('sensor/1/temp')).toBeUndefined();
    expect(topicProblem('/')).toBeUndefined();
  });
  it('explains empty names and wildcards', () => {
    expect(topicProblem('')).toEqual({ key: 'pubTopicRequired' });
    expect(topicProblem('sensor/+/temp')).toEqual({ key: 'pubTopicWildcard' });
    expect(topicProblem('sensor/#')).toEqual({ key: 'pubTopicWildcard' });
    expect(topicProblem('a\u0000b')?.key).toBe('pubTopicInvalid');
  });
});

describe('buildPublish', () => {
  it('makes the request from a valid draft', () => {
    const r = buildPublish(draft({ topic: 't/1', qos: 2, retain: true, payload: '00 ff', format: 'hex' }), false);
    expect(r).toEqual({ request: { topic: 't/1', qos: 2, retain: true, payload: Uint8Array.from([0, 255]) } });
  });
  it('reports the topic and the payload together', () => {
    const r = buildPublish(draft({ topic: 'a/#', payload: '{', format: 'json' }), false);
    expect('problems' in r && Object.keys(r.problems).sort()).toEqual(['payload', 'topic']);
    expect('problems' in r && r.problems.payload?.key).toBe('pubJsonInvalid');
  });
  it('gives payload positions from 1', () => {
    const r = buildPublish(draft({ payload: 'zz', format: 'hex' }), false);
    expect('problems' in r && r.problems.payload).toEqual({ key: 'pubHexChar', params: { char: 'z', position: 1 } });
  });
  it('ignores the properties of a 3.1.1 connection, and sends none when empty on 5.0', () => {
    const d = draft({ properties: props({ contentType: 'text/plain', topicAlias: '0' }) });
    expect('request' in buildPublish(d, false) && buildPublish(d, false)).toEqual({ request: { topic: 'testtopic/1', qos: 0, retain: false, payload: new Uint8Array() } });
    const r = buildPublish(draft(), true);
    expect('request' in r && r.request.properties).toBeUndefined();
  });
  it('adds the 5.0 properties', () => {
    const r = buildPublish(draft({ properties: props({ contentType: 'application/json', userProperties: [{ key: 'a', value: '1' }] }) }), true);
    expect('request' in r && r.request.properties).toEqual({ contentType: 'application/json', userProperties: [['a', '1']] });
  });
});

describe('propertiesFromForm', () => {
  it('reads every property', () => {
    const { properties, problems } = propertiesFromForm(props({
      userProperties: [{ key: 'k', value: 'v' }, { key: 'k', value: '' }],
      contentType: 'text/plain', payloadFormatIndicator: '1', messageExpiryInterval: ' 60 ', responseTopic: 'reply/me',
      correlationData: '01 02', correlationFormat: 'hex', topicAlias: '65535',
    }), utf8('hi'));
    expect(problems).toEqual({});
    expect(properties).toEqual({
      userProperties: [['k', 'v'], ['k', '']], contentType: 'text/plain', payloadFormatIndicator: true, messageExpiryInterval: 60,
      responseTopic: 'reply/me', correlationData: Uint8Array.from([1, 2]), topicAlias: 65535,
    });
  });
  it('takes correlation data as text', () => {
    expect(propertiesFromForm(props({ correlationData: 'req-1' }), undefined).properties.correlationData).toEqual(utf8('req-1'));
  });
  it('sends indicator 0 as false', () => {
    expect(propertiesFromForm(props({ payloadFormatIndicator: '0' }), Uint8Array.from([0xff])).properties).toEqual({ payloadFormatIndicator: false });
  });
  it('explains each wrong field', () => {
    const { problems } = propertiesFromForm(props({
      userProperties: [{ key: '', value: 'x' }, { key: 'ok', value: 'a\u0000' }],
      payloadFormatIndicator: '1', messageExpiryInterval: '-1', responseTopic: 'reply/+', correlationData: 'abc', correlationFormat: 'hex', topicAlias: '0',
    }), Uint8Array.from([0xff]));
    expect(problems).toEqual({
      'userProperty.0.key': { key: 'required' },
      'userProperty.1.value': { key: 'pubStringNull' },
      payloadFormatIndicator: { key: 'pubPayloadNotUtf8' },
      messageExpiryInterval: { key: 'wholeNumber' },
      responseTopic: { key: 'pubTopicWildcard' },
      correlationData: { key: 'pubHexOdd', params: { group: 'abc' } },
      topicAlias: { key: 'pubRange', params: { min: 1, max: 65535 } },
    });
  });
  it('bounds the numbers', () => {
    expect(propertiesFromForm(props({ topicAlias: '65536' }), undefined).problems.topicAlias?.key).toBe('pubRange');
    expect(propertiesFromForm(props({ messageExpiryInterval: '4294967295' }), undefined).properties.messageExpiryInterval).toBe(4294967295);
    expect(propertiesFromForm(props({ messageExpiryInterval: '4294967296' }), undefined).problems.messageExpiryInterval?.key).toBe('pubRange');
    expect(propertiesFromForm(props({ topicAlias: '1.5' }), undefined).problems.topicAlias?.key).toBe('wholeNumber');
  });
  it('limits strings to 65,535 bytes', () => {
    expect(propertiesFromForm(props({ contentType: 'é'.repeat(40_000) }), undefined).problems.contentType?.key).toBe('pubStringTooLong');
  });
  it('counts what will be sent', () => {
    expect(propertyCount(emptyProperties())).toBe(0);
    expect(propertyCount(props({ userProperties: [{ key: 'a', value: 'b' }], topicAlias: '3', messageExpiryInterval: ' ' }))).toBe(2);
  });
});
