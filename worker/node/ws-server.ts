/**
 * The HTTP side of MQTT over WebSocket: one path, /mqtt, upgraded with the
 * subprotocol "mqtt" (or "mqttv3.1", which MQTT 3.1 clients ask for)
 * [MQTT-6.0.0-3]. Any other path is 404, a plain GET on /mqtt is 426
 * Upgrade Required, and a client that offers only other subprotocols is
 * refused with 400.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

/** The path MQTT.js, MQTTX and mosquitto clients use by default. */
export const MQTT_WS_PATH = '/mqtt';
/** Subprotocols we speak, in order of preference. */
export const MQTT_SUBPROTOCOLS = ['mqtt', 'mqttv3.1'] as const;

export interface MqttWsServerOptions {
  /** Largest WebSocket message accepted, in bytes. */
  maxPayload: number;
}

export interface MqttWsServer {
  http: Server;
  wss: WebSocketServer;
}

/** An HTTP server (not yet listening) that hands every accepted MQTT WebSocket to `onSocket`. */
export function createMqttWsServer(onSocket: (ws: WebSocket, req: IncomingMessage) => void, options: MqttWsServerOptions): MqttWsServer {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxPayload,
    perMessageDeflate: false,
    // no Sec-WebSocket-Protocol at all is let through: some clients leave it out
    handleProtocols: (offered) => MQTT_SUBPROTOCOLS.find((p) => offered.has(p)) ?? false,
  });
  wss.on('connection', onSocket);
  const http = createServer((req, res) => {
    const onPath = pathOf(req) === MQTT_WS_PATH;
    res.writeHead(onPath ? 426 : 404, { 'content-type': 'text/plain; charset=utf-8', ...(onPath ? { upgrade: 'websocket' } : {}) });
    res.end(onPath ? `MQTT over WebSocket: connect with a WebSocket client to ${MQTT_WS_PATH}\n` : `Not Found: MQTT over WebSocket is at ${MQTT_WS_PATH}\n`);
  });
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (pathOf(req) !== MQTT_WS_PATH) return refuse(socket, 404, 'Not Found', `MQTT over WebSocket is at ${MQTT_WS_PATH}`);
    const offered = req.headers['sec-websocket-protocol'];
    if (offered !== undefined) {
      const list = offered.split(',').map((p) => p.trim());
      if (!list.some((p) => (MQTT_SUBPROTOCOLS as readonly string[]).includes(p))) {
        return refuse(socket, 400, 'Bad Request', `unsupported WebSocket subprotocol "${offered}"; this broker speaks ${MQTT_SUBPROTOCOLS.join(', ')}`);
      }
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  return { http, wss };
}

function pathOf(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

function refuse(socket: Duplex, status: number, text: string, body: string): void {
  const content = `${body}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(content)}\r\n\r\n${content}`,
  );
}
