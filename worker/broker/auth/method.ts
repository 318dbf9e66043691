/**
 * The shape of an MQTT 5.0 enhanced authentication method (§4.12), so that the
 * CONNECT/AUTH handlers drive any method the same way:
 *
 *   CONNECT (Authentication Method M, Data d0)  → session = method.start(creds); session.step(d0)
 *   'continue' → AUTH 0x18 with data; the client's AUTH 0x18 (data d1) → session.step(d1)
 *   'success'  → CONNACK 0x00 (Authentication Method M, Data if any)
 *   'failure'  → CONNACK with reasonCode, then close [MQTT-4.12.0-4]
 *
 * Re-authentication (AUTH 0x19) starts a fresh session the same way.
 */

/** Where a method finds a user's SCRAM credentials (see passwords.ts, parseStoredPassword). */
export interface AuthCredentials {
  /** The user's credentials, or `undefined` if there is no such user. */
  lookup(username: string): { iterations: number; salt: Uint8Array; saltedPassword: Uint8Array } | undefined;
}

/** What the broker sends after one step of the exchange. */
export type AuthStep =
  /** Send AUTH 0x18 (Continue authentication) with this Authentication Data. */
  | { kind: 'continue'; data: Uint8Array }
  /** Send CONNACK 0x00 (or AUTH 0x00 when re-authenticating) with this Authentication Data. */
  | { kind: 'success'; data?: Uint8Array; username: string }
  /** Send CONNACK (or DISCONNECT) with this reason code; `reason` is for people (Reason String, trace). */
  | { kind: 'failure'; reasonCode: number; reason: string };

/** One connection's run through a method. */
export interface AuthSession {
  /** Feeds the Authentication Data of the CONNECT, then of each AUTH 0x18, in order. */
  step(data: Uint8Array | undefined): AuthStep;
}

/** A pluggable enhanced authentication method. */
export interface AuthMethod {
  /** The Authentication Method property value that selects this method, e.g. "SCRAM-SHA-256". */
  readonly name: string;
  /** Starts one exchange against `credentials`. */
  start(credentials: AuthCredentials): AuthSession;
}

/** The MQTT 5.0 reason codes (§2.4) authentication uses. */
export const AuthReasonCode = {
  /** 0x00 in CONNACK and AUTH. */
  Success: 0x00,
  /** 0x18, in AUTH: another step follows. */
  ContinueAuthentication: 0x18,
  /** 0x19, in AUTH: the client asks to re-authenticate. */
  ReAuthenticate: 0x19,
  /** 0x82: a step arrived when none was expected. */
  ProtocolError: 0x82,
  /** 0x86: wrong user name or password. */
  BadUserNameOrPassword: 0x86,
  /** 0x87: refused for any other reason, such as malformed authentication data. */
  NotAuthorized: 0x87,
  /** 0x8C: the Authentication Method is not supported. */
  BadAuthenticationMethod: 0x8c,
} as const;
