/**
 * AUTH (§3.15, §4.12): the next step of enhanced authentication, or the
 * start of a re-authentication (0x19) on a connected session with the same
 * method as at CONNECT [MQTT-4.12.1-1].
 */
import { protocolError, type AuthPacket } from '../../protocol';
import type { Connection } from '../connection';
import { continueAuth, credentials } from './connect';

export function handleAuth(c: Connection, p: AuthPacket): void {
  const a = c.auth;
  if (!a) throw protocolError('AUTH without an Authentication Method at CONNECT'); // [MQTT-4.12.0-7]
  const method = p.properties?.authenticationMethod;
  if (method !== a.method) throw protocolError(`AUTH must use the method of CONNECT, "${a.method}"`); // [MQTT-4.12.0-5]
  if (c.state === 'connected') {
    if (p.reasonCode === 0x19) {
      a.session = c.broker.authMethods.get(a.method)!.start(credentials(c.broker.config));
      a.reauthenticating = true;
    } else if (p.reasonCode !== 0x18 || !a.reauthenticating) {
      throw protocolError('a connected client sends AUTH 0x19 to start a re-authentication, and 0x18 only within one');
    }
  } else if (p.reasonCode !== 0x18) {
    throw protocolError('during authentication the client sends AUTH 0x18 Continue authentication');
  }
  continueAuth(c, p.properties?.authenticationData);
}
