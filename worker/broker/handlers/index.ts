/**
 * Dispatch: checks that a packet may arrive in the connection's state, then
 * hands it to its handler. Violations throw MqttError; the connection turns
 * them into a DISCONNECT or a refused CONNACK.
 */
import { protocolError, type Packet } from '../../protocol';
import type { Connection } from '../connection';
import { handlePuback, handlePubcomp, handlePubrec, handlePubrel } from './acks';
import { handleAuth } from './auth';
import { handleConnect } from './connect';
import { handleDisconnect } from './disconnect';
import { handlePublish } from './publish';
import { handleSubscribe } from './subscribe';
import { handleUnsubscribe } from './unsubscribe';

export function handle(c: Connection, p: Packet): void {
  if (c.state === 'new') {
    if (p.type !== 'connect') throw protocolError(`the first packet must be CONNECT, not ${p.type.toUpperCase()}`); // [MQTT-3.1.0-1]
    return handleConnect(c, p);
  }
  if (c.state === 'authenticating') {
    if (p.type === 'auth') return handleAuth(c, p);
    if (p.type === 'disconnect') return handleDisconnect(c, p);
    throw protocolError(`only AUTH may follow CONNECT during enhanced authentication, not ${p.type.toUpperCase()}`); // [MQTT-4.12.0-4]
  }
  switch (p.type) {
    case 'publish': return handlePublish(c, p);
    case 'puback': return handlePuback(c, p);
    case 'pubrec': return handlePubrec(c, p);
    case 'pubrel': return handlePubrel(c, p);
    case 'pubcomp': return handlePubcomp(c, p);
    case 'subscribe': return handleSubscribe(c, p);
    case 'unsubscribe': return handleUnsubscribe(c, p);
    case 'pingreq':
      c.send({ type: 'pingresp' }); // [MQTT-3.12.4-1]
      return;
    case 'disconnect': return handleDisconnect(c, p);
    case 'auth': return handleAuth(c, p);
    case 'connect': throw protocolError('a second CONNECT on the same connection'); // [MQTT-3.1.0-2]
    default: throw protocolError(`a client must not send ${p.type.toUpperCase()}`);
  }
}
