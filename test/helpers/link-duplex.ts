/**
 * A Link as a Node Duplex stream, so MQTT.js can speak over any of our links
 * (a MessagePort, a NetworkPath, the in-memory pipe) through its stream
 * builder:
 *
 *   const client = new mqtt.MqttClient(() => linkDuplex(clientEnd), { protocolVersion: 5, reconnectPeriod: 0 });
 *
 * Bytes written to the stream are copied before they go to the link (MQTT.js
 * may reuse its buffers); the link's close ends and destroys the stream.
 */
import { Duplex } from 'node:stream';
import type { Link } from '../../worker/transport/link';

export function linkDuplex(link: Link): Duplex {
  const stream = new Duplex({
    write(chunk: Buffer, _encoding, callback) {
      link.write(new Uint8Array(chunk));
      callback();
    },
    read() {},
    final(callback) {
      link.close();
      callback();
    },
    destroy(error, callback) {
      link.close(error?.message);
      callback(error);
    },
  });
  link.setHandler({
    data: (bytes) => stream.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)),
    close: () => {
      stream.push(null);
      stream.destroy();
    },
  });
  return stream;
}
