/**
 * DISCONNECT from the client (§3.14.4): a normal end discards the will
 * [MQTT-3.14.4-3] unless the reason is 0x04 Disconnect with Will Message.
 * 5.0 may change the Session Expiry Interval here, except from 0 to more
 * (§3.14.2.2.2).
 */
import { protocolError, type DisconnectPacket } from '../../protocol';
import type { Connection } from '../connection';

export function handleDisconnect(c: Connection, p: DisconnectPacket): void {
  const s = c.session;
  const expiry = p.properties?.sessionExpiryInterval;
  if (expiry !== undefined && s) {
    if (s.expiryInterval === 0 && expiry !== 0) {
      throw protocolError('the Session Expiry Interval was 0 at CONNECT and cannot be raised at DISCONNECT'); // §3.14.2.2.2
    }
    s.expiryInterval = Math.min(expiry, c.broker.config.maxSessionExpiryInterval);
  }
  const withWill = p.reasonCode === 0x04;
  c.graceful = !withWill;
  if (!withWill) c.will = undefined;
  c.close(withWill ? 'client disconnected and asked for its will' : 'client disconnected normally');
}
