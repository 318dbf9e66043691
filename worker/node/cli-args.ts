/**
 * The command line of `npm run broker`, parsed and checked. A mistake gives
 * a UsageError, which the CLI prints with the usage line (exit code 2).
 */
import { parseArgs } from 'node:util';

export const USAGE = 'usage: npm run broker -- [--port 1883] [--ws-port 8083] [--host 0.0.0.0] [--config broker.json] [--verbose]';

export const HELP = `${USAGE}

Runs the MQTT Playground broker (MQTT 3.1, 3.1.1 and 5.0) for real clients.

  --port N        TCP port for mqtt:// (default 1883; 0 picks a free port)
  --ws-port N     WebSocket port for ws://HOST:N/mqtt (default 8083; 0 picks a free port)
  --host ADDR     address to listen on (default 0.0.0.0, every IPv4 interface)
  --config FILE   JSON settings: allowAnonymous, users, acl, aclDefault and any broker limit
  --verbose       print every broker decision (connects, subscriptions, routing, wills)
  --help          show this text

Stop it with Ctrl-C: 5.0 clients are told "Server shutting down" (0x8B).`;

export interface CliArgs {
  port: number;
  wsPort: number;
  host: string;
  config: string | undefined;
  verbose: boolean;
  help: boolean;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

export function parseCliArgs(argv: string[]): CliArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string', short: 'p' },
        'ws-port': { type: 'string' },
        host: { type: 'string' },
        config: { type: 'string', short: 'c' },
        verbose: { type: 'boolean', short: 'v' },
        help: { type: 'boolean' },
      },
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const host = values.host ?? '0.0.0.0';
  if (host === '') throw new UsageError('--host needs an address');
  if (values.config === '') throw new UsageError('--config needs a file name');
  return {
    port: portOf('--port', values.port, 1883),
    wsPort: portOf('--ws-port', values['ws-port'], 8083),
    host,
    config: values.config,
    verbose: values.verbose ?? false,
    help: values.help ?? false,
  };
}

function portOf(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) throw new UsageError(`${flag} must be a port number from 0 to 65535, got "${text}"`);
  return Number(text);
}
