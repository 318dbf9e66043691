/**
 * Take-over (§3.1.4 step 3): a client identifier already connected is
 * connected again. The old connection is told DISCONNECT 0x8E Session taken
 * over (5.0) and closed [MQTT-3.1.4-3]; it did not disconnect normally, so
 * its will is dealt with as for any abnormal end.
 */
import type { Connection } from '../connection';

export function takeOver(c: Connection): void {
  const s = c.broker.registry.get(c.clientId);
  const old = s?.outlet;
  if (!old || old === c) return;
  const other = old as Connection;
  other.disconnect(0x8e, 'another connection took over the session');
}
