/**
 * worker/broker: an MQTT 3.1, 3.1.1 and 5.0 broker that accepts any Link.
 * Runs in the page's worker and in Node (worker/node) alike.
 */
export { Broker, type BrokerStats } from './broker';
export { DEFAULT_CONFIG, resolveConfig, configProblems, type BrokerConfig, type UserEntry } from './config';
export type { AclRule } from './acl';
export { describeEvent, type BrokerEvent, type BrokerEventListener } from './events';
export { MemoryStore, type BrokerStore, type BrokerState, type StoreBatch, type PersistedSession } from './persistence';
export type { Message, Delivery } from './message';
export type { Session, Subscription } from './session';
export { NEVER_EXPIRES } from './registry';
export { hashPassword, verifyPassword } from './auth/passwords';
