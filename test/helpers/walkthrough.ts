/**
 * The tutorial's walkthrough (MQTTX's web client against a public broker),
 * played on a Simulation with a paused virtual clock: wildcards with two
 * sensors, retained messages, a 3.1.1 persistent session with three QoS 1
 * messages, and the last will after a pulled cable. It yields after each
 * stage, so that a test can look at what happened before going on.
 */
import type { ClientConfig } from '../../worker/sim/client-config';
import { defaultClientConfig } from '../../worker/sim/client-config';
import type { Simulation } from '../../worker/sim/simulation';
import type { SimClock } from '../../worker/time/sim-clock';
import { settle, text } from './broker-harness';

export type WalkthroughStage =
  | 'connected' // Simple Demo, Sensor 1 and Sensor 2
  | 'subscribed' // Simple Demo to sensor/+/temperature
  | 'wildcards' // a reading from each sensor
  | 'retained' // two retained messages, then Sensor 2 subscribes to retained_message
  | 'persistent' // MQTT V3 back after three QoS 1 messages were sent while it was away
  | 'cut' // Last Will's cable pulled
  | 'will-due' // 7.4 s later, Simple Demo subscribed to last_will: 1.5 x keep alive not yet over
  | 'will'; // 7.5 s after the cut: the will is published

/** Creates and connects a client named `name` (client id: the name with _ for spaces). */
export function addClient(sim: Simulation, name: string, o: Partial<ClientConfig> = {}): void {
  sim.createClient({ ...defaultClientConfig(name, name.replace(/\s/g, '_')), ...o });
  sim.connect(name);
}

export async function* walkthrough(sim: Simulation, clock: SimClock): AsyncGenerator<WalkthroughStage> {
  addClient(sim, 'Simple Demo');
  addClient(sim, 'Sensor 1');
  addClient(sim, 'Sensor 2');
  await settle();
  yield 'connected';
  sim.subscribe('Simple Demo', { topicFilter: 'sensor/+/temperature', qos: 0 });
  await settle();
  yield 'subscribed';
  sim.publish('Sensor 1', { topic: 'sensor/1/temperature', payload: text('{"msg": "17.2"}'), qos: 0, retain: false });
  sim.publish('Sensor 2', { topic: 'sensor/2/temperature', payload: text('{"msg": "18.2"}'), qos: 0, retain: false });
  await settle();
  yield 'wildcards';

  sim.publish('Sensor 1', { topic: 'retained_message', payload: text('first'), qos: 0, retain: true });
  sim.publish('Sensor 1', { topic: 'retained_message', payload: text('second'), qos: 0, retain: true });
  await settle();
  sim.subscribe('Sensor 2', { topicFilter: 'retained_message', qos: 0 });
  await settle();
  yield 'retained';

  addClient(sim, 'MQTT V3', { version: 4, cleanStart: false });
  addClient(sim, 'MQTT_V3_Publish', { version: 4 });
  await settle();
  sim.subscribe('MQTT V3', { topicFilter: 'clean_session_false', qos: 1 });
  await settle();
  sim.disconnect('MQTT V3');
  await settle();
  for (const n of ['1', '2', '3']) sim.publish('MQTT_V3_Publish', { topic: 'clean_session_false', payload: text(n), qos: 1, retain: false });
  await settle();
  sim.connect('MQTT V3');
  await settle();
  yield 'persistent';

  addClient(sim, 'Last Will', { keepalive: 5, will: { topic: 'last_will', qos: 1, retain: true, payload: 'offline' } });
  await settle();
  sim.cut('Last Will');
  yield 'cut';
  clock.advance(7400);
  await settle();
  sim.subscribe('Simple Demo', { topicFilter: 'last_will', qos: 1 });
  await settle();
  yield 'will-due';
  clock.advance(100);
  await settle();
  yield 'will';
}
