/**
 * `npm run broker -- --port 1883 --ws-port 8083 [--host 0.0.0.0] [--config file] [--verbose]`:
 * the broker for real clients (MQTTX, MQTT.js, mosquitto_pub/sub), until
 * Ctrl-C. Exit codes: 0 after a clean shutdown, 1 when it cannot start (port
 * taken, bad configuration file), 2 for a mistake on the command line.
 */
import { describeEvent, type BrokerConfig } from '../broker';
import { HELP, parseCliArgs, USAGE, UsageError, type CliArgs } from './cli-args';
import { ConfigFileError, readConfigFile } from './config-file';
import { startHost } from './host';
import { NodeClock } from './node-clock';

async function main(): Promise<number> {
  let args: CliArgs;
  try {
    args = parseCliArgs(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`error: ${e.message}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(HELP);
    return 0;
  }
  let config: Partial<BrokerConfig> = {};
  try {
    if (args.config) config = readConfigFile(args.config);
  } catch (e) {
    if (!(e instanceof ConfigFileError)) throw e;
    console.error(`error: ${e.message}`);
    return 1;
  }
  let host;
  try {
    host = await startHost({ port: args.port, wsPort: args.wsPort, host: args.host, config, clock: new NodeClock() });
  } catch (e) {
    console.error(`error: ${(e as Error).message}`);
    return 1;
  }
  if (args.verbose) host.broker.on((e) => console.log(`${new Date(e.at).toISOString()} ${describeEvent(e)}`));
  const name = host.host.includes(':') ? `[${host.host}]` : host.host;
  console.log(`MQTT broker listening: mqtt://${name}:${host.tcpPort} (TCP), ws://${name}:${host.wsPort}/mqtt (WebSocket)`);
  const c = host.broker.config;
  const users = c.users.length ? `${c.users.length} user${c.users.length === 1 ? '' : 's'}` : 'no users';
  console.log(`${c.allowAnonymous ? 'anonymous access allowed' : 'anonymous access refused'}, ${users}, ${c.acl.length ? `${c.acl.length} ACL rules (default ${c.aclDefault})` : 'no ACL rules'}. Stop with Ctrl-C.`);

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) {
        console.error(`${signal} again: exiting without waiting`);
        return resolve(130);
      }
      stopping = true;
      console.log(`${signal}: shutting down, disconnecting ${host.broker.stats.connected} client(s)`);
      host.close().then(
        () => {
          console.log('broker stopped');
          resolve(0);
        },
        (e: unknown) => {
          console.error(`error while stopping: ${(e as Error).message}`);
          resolve(1);
        },
      );
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });
}

// exit explicitly: whatever else is left (a slow peer's socket) must not hold the shell
main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
