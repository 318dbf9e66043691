/**
 * Whether a CONNECT may go ahead: client identifier rules (§3.1.3.1),
 * authentication by user name and password, and whether the will fits the
 * broker's capabilities. Returns the refusal, or null.
 */
import type { ConnectPacket } from '../../protocol';
import { verifyPassword } from '../auth/passwords';
import type { BrokerConfig } from '../config';

export interface Refusal {
  reasonCode: number;
  reason: string;
}

export function validateConnect(p: ConnectPacket, config: BrokerConfig): Refusal | null {
  const id = p.clientId;
  if (p.protocolVersion === 3 && (id.length === 0 || id.length > 23)) {
    // MQTT 3.1 allows 1 to 23 characters
    return { reasonCode: 0x85, reason: `an MQTT 3.1 client identifier has 1 to 23 characters; "${id}" has ${id.length}` };
  }
  if (p.protocolVersion === 4 && id.length === 0 && !p.cleanStart) {
    return { reasonCode: 0x85, reason: 'an empty client identifier needs Clean Session set' }; // [MQTT-3.1.3-8]
  }
  const auth = authenticate(p, config);
  if (auth) return auth;
  if (p.will) {
    if (p.will.qos > config.maximumQoS) return { reasonCode: 0x9b, reason: `the will's QoS ${p.will.qos} is above the broker's Maximum QoS ${config.maximumQoS}` }; // [MQTT-3.2.2-12]
    if (p.will.retain && !config.retainAvailable) return { reasonCode: 0x9a, reason: 'the will asks to be retained, and this broker does not retain' }; // [MQTT-3.2.2-13]
  }
  return null;
}

function authenticate(p: ConnectPacket, config: BrokerConfig): Refusal | null {
  if (p.properties?.authenticationMethod) return null; // enhanced authentication decides instead
  if (p.username === undefined) {
    return config.allowAnonymous ? null : { reasonCode: 0x87, reason: 'anonymous access is not allowed: give a user name and password' };
  }
  if (config.users.length === 0 && config.allowAnonymous) return null; // no users configured: names are not checked
  const user = config.users.find((u) => u.username === p.username);
  if (!user || !p.password || !verifyPassword(p.password, user.password)) {
    return { reasonCode: 0x86, reason: 'bad user name or password' };
  }
  return null;
}
