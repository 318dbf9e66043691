/**
 * Why a network connection ended, in words for the broker's log and the
 * will: "the peer reset the connection" rather than "read ECONNRESET".
 */

const BY_CODE: Record<string, string> = {
  ECONNRESET: 'the peer reset the connection',
  EPIPE: 'the peer went away while we were writing',
  ETIMEDOUT: 'the network timed out',
  ECONNABORTED: 'the connection was aborted',
  EHOSTUNREACH: 'the peer became unreachable',
  ENETUNREACH: 'the network became unreachable',
};

/** A readable reason from the socket's error, if any, or `fallback`. */
export function closeReason(error: Error | undefined, fallback: string): string {
  if (!error) return fallback;
  const code = (error as NodeJS.ErrnoException).code;
  const words = code ? BY_CODE[code] : undefined;
  if (words) return `${words} (${code})`;
  return code ? `network error ${code}: ${error.message}` : `network error: ${error.message}`;
}
