/**
 * Why: the tile bench's client runs in the same process (and on the same two cores) as the
 * server it measures. undici's fetch costs more CPU per request than serving a cached tile,
 * so it measured mostly itself; a keep-alive node:http agent is the lean client a browser's
 * connection pool resembles.
 */
import { Agent, request } from 'node:http';

export function httpClient(base: string, sockets: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: sockets });
  const get = (path: string) =>
    new Promise<{ status: number; bytes: number }>((done, fail) => {
      const req = request(`${base}${path}`, { agent }, (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.byteLength;
        });
        res.on('end', () => done({ status: res.statusCode ?? 0, bytes }));
        res.on('error', fail);
      });
      req.on('error', fail);
      req.end();
    });
  return { get, close: () => agent.destroy() };
}
