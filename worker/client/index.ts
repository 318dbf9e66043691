/** worker/client: the MQTT client engine behind every virtual client and script. */
export { ClientState, type ClientStatus, type ServerLimits, type Step } from './client-state';
export { VirtualClient, type VirtualClientEvent, type VirtualClientListener } from './virtual-client';
export type { ClientEvent } from './events';
export type { ClientAuthenticator, ClientOptions, PublishOptions, SubscribeOptions } from './options';
