import { describe, expect, it } from 'vitest';
import { parseCliArgs, UsageError } from '../../../../worker/node/cli-args';

describe('parseCliArgs', () => {
  it('defaults to 1883 and 8083 on every interface', () => {
    expect(parseCliArgs([])).toEqual({ port: 1883, wsPort: 8083, host: '0.0.0.0', config: undefined, verbose: false, help: false });
  });

  it('reads every option', () => {
    expect(parseCliArgs(['--port', '0', '--ws-port', '9001', '--host', '127.0.0.1', '--config', 'b.json', '--verbose'])).toEqual({
      port: 0, wsPort: 9001, host: '127.0.0.1', config: 'b.json', verbose: true, help: false,
    });
    expect(parseCliArgs(['--port=1884', '-v', '--help'])).toMatchObject({ port: 1884, verbose: true, help: true });
  });

  it.each([
    [['--port', 'abc'], '--port must be a port number from 0 to 65535, got "abc"'],
    [['--ws-port', '70000'], '--ws-port must be a port number from 0 to 65535, got "70000"'],
    [['--colour'], "Unknown option '--colour'"],
    [['extra'], "Unexpected argument 'extra'"],
    [['--port'], "Option '-p, --port <value>' argument missing"],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(UsageError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});
