/**
 * The byte inspector's code, run once on two small frames before the
 * learner opens one: a JavaScript engine runs a function slowly the first
 * times, and the first frame opened should be as quick as the next ones.
 */
import { dissect } from '../../../worker/protocol/dissect';
import { explainField } from './field-explain';
import { failureOf, flattenFields } from './field-map';
import { hexRow } from './hex-dump';

const SAMPLES: [Uint8Array, 'publish'][] = [
  // PUBLISH a/b QoS 1, id 1, payload "1", properties: content type "t"
  [Uint8Array.of(0x32, 0x0b, 0x00, 0x03, 0x61, 0x2f, 0x62, 0x00, 0x01, 0x04, 0x03, 0x00, 0x01, 0x74, 0x31), 'publish'],
  // a PUBLISH with QoS 3
  [Uint8Array.of(0x36, 0x02, 0x00, 0x01), 'publish'],
];

export function warmUpInspector(): void {
  for (const [bytes, type] of SAMPLES) {
    const nodes = flattenFields(dissect(bytes, 5));
    failureOf(nodes);
    for (const n of nodes) explainField(nodes, n.index, bytes, type, 5);
    hexRow(bytes, 0, [{ cls: 'field', start: 1, end: 3 }]);
  }
}
