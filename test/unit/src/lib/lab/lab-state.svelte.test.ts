import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../../../../../src/lib/lab/examples';
import { LabState } from '../../../../../src/lib/lab/lab-state.svelte';
import { parseHex } from '../../../../../src/lib/lab/hex';

const example = (id: string) => EXAMPLES.find((e) => e.id === id)!;

describe('LabState', () => {
  it('starts with the valid PUBLISH, which compiles and is accepted', () => {
    const lab = new LabState();
    expect(lab.exampleId).toBe('valid-publish');
    expect(lab.compiled.bytes?.[0]).toBe(0x32);
    expect(lab.compiled.prediction).toMatchObject({ kind: 'accepted', reply: 'puback' });
  });

  it('loads an example with its version and format; editing forgets the example', () => {
    const lab = new LabState();
    lab.load(example('bad-utf8'));
    expect([lab.format, lab.version, lab.exampleId]).toEqual(['hex', 4, 'bad-utf8']);
    expect(lab.compiled.tree?.reasonCode).toBe(0x81);
    lab.text = `${lab.text}\n`;
    expect(lab.exampleId).toBeUndefined();
  });

  it('carries the packet from JSON to annotated hex and back', () => {
    const lab = new LabState();
    const bytes = lab.compiled.bytes!;
    lab.setFormat('hex');
    expect(lab.format).toBe('hex');
    expect(lab.text).toMatch(/# Topic Name: "lab\/hello"/);
    const parsed = parseHex(lab.text);
    expect(parsed.ok && [...parsed.bytes]).toEqual([...bytes]);
    lab.json = '{}';
    lab.setFormat('json');
    expect(JSON.parse(lab.text)).toMatchObject({ type: 'publish', topic: 'lab/hello', payload: 'Hello from the packet lab' });
    expect(lab.notice).toBeUndefined();
  });

  it('keeps the JSON when the hex does not decode, and says why', () => {
    const lab = new LabState();
    const json = lab.json;
    lab.load(example('reserved-flags'));
    lab.setFormat('json');
    expect(lab.json).toBe(json);
    expect(lab.notice?.key).toBe('labNoticeKeptJson');
  });

  it('re-encodes the JSON for the version chosen', () => {
    const lab = new LabState();
    const v5 = lab.compiled.bytes!.length;
    lab.version = 4;
    // no properties in 3.1.1: the Property Length and the Content Type go
    expect(lab.compiled.bytes!.length).toBeLessThan(v5);
    expect(lab.compiled.tree?.error).toBeUndefined();
  });
});
