import * as http from 'node:http';
import * as net from 'node:net';

/** GET a URL on 127.0.0.1 (tests never send traffic elsewhere); an error after `timeoutMs` without an answer. */
export function httpGet(url: string, timeoutMs: number = 2000): Promise<{ status: number; body: string }> {
  if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(url)) throw new Error(`tests only talk to 127.0.0.1, not ${url}`);
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`timeout fetching ${url}`)));
    req.on('error', reject);
  });
}

/** GET with bounded retries. */
export async function fetchWithRetries(url: string, attempts: number, delayMs: number) {
  let lastError: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      return await httpGet(url);
    } catch (e) {
      lastError = e;
      await new Promise((r) => setTimeout(r, delayMs));
    }
  }
  throw new Error(`GET ${url} failed ${attempts} times: ${String(lastError)}`);
}

/** A TCP port that is free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}
