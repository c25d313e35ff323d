/**
 * The trivial endpoint the generator benches drive (a keep-alive HTTP server in a child process,
 * so its CPU is not the generator's), the one-request scenario that hits it, and a median.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { defineScenario } from '../src/scenarios/define-scenario.js';

const SERVER = `
const { createServer } = require('node:http');
const body = JSON.stringify({ ok: true });
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

export async function startServer(): Promise<{ url: string; pid: number; stop(): void }> {
  const child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const port = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the bench server exited (${code})`)));
  });
  return { url: `http://127.0.0.1:${port.trim()}`, pid: child.pid ?? 0, stop: () => child.kill() };
}

export const trivial = defineScenario<object>({
  name: 'trivial',
  steps: [{ name: 'get', run: async ({ http }) => void (await http.request({ method: 'GET', path: '/' })) }],
  init: () => ({}),
});

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((p, q) => p - q);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};
