/**
 * The live dashboard's server (`redpkt load … --dashboard`): `GET /` is the report page as it
 * stands, `GET /events` pushes it again every second over server-sent events, `GET /report.json`
 * is the interim JSON. Nothing is rendered while nobody watches. At the end the final report
 * (verdict, money check) is pushed once, marked final, and the server closes.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RedpktError } from '../../domain/errors.js';
import type { LoadReport } from '../report.js';
import { renderHtml, renderReportBody } from '../render-html.js';
import { verdictOf } from './report-sections.js';

export interface LiveServer {
  url: string;
  /** Pushes the final report to every viewer and serves it from then on (`load merge`'s page stays up). */
  settle(report: LoadReport): void;
  /** Pushes the final report to every viewer, then closes. */
  finish(report: LoadReport): Promise<void>;
  close(): Promise<void>;
}

export async function startLiveServer(opts: {
  port: number;
  host?: string;
  /** The report as it stands (the run still going). */
  interim: () => LoadReport;
  intervalMs?: number;
}): Promise<LiveServer> {
  const viewers = new Set<ServerResponse>();
  let final: LoadReport | undefined;
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') return void res.writeHead(405).end();
    if (path === '/') {
      const report = final ?? opts.interim();
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      return void res.end(renderHtml(report, undefined, { running: !final, eventsPath: '/events' }));
    }
    if (path === '/report.json') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      return void res.end(JSON.stringify(final ?? opts.interim()));
    }
    if (path === '/events') {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      res.write('retry: 1000\n\n');
      if (final) {
        push(res, final, true);
        return void res.end();
      }
      viewers.add(res);
      req.on('close', () => viewers.delete(res));
      push(res, opts.interim(), false);
      return;
    }
    if (path === '/favicon.ico') return void res.writeHead(204).end();
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'EADDRINUSE'
          ? new RedpktError(
              'USAGE',
              `--dashboard-port ${opts.port} is in use: choose another (0: any free port)`,
            )
          : e,
      ),
    );
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const timer = setInterval(() => {
    if (viewers.size === 0) return;
    const report = opts.interim();
    for (const v of viewers) push(v, report, false);
  }, opts.intervalMs ?? 1000);
  timer.unref();

  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= new Promise<void>((resolve) => {
      clearInterval(timer);
      for (const v of viewers) v.end();
      viewers.clear();
      server.close(() => resolve());
      server.closeAllConnections();
    }));
  return {
    url: `http://${opts.host ?? '127.0.0.1'}:${port}/`,
    settle(report) {
      final = report;
      clearInterval(timer);
      for (const v of viewers) {
        push(v, report, true);
        v.end();
      }
      viewers.clear();
    },
    async finish(report) {
      final = report;
      for (const v of viewers) push(v, report, true);
      await close();
    },
    close,
  };
}

function push(res: ServerResponse, report: LoadReport, isFinal: boolean): void {
  const running = !isFinal;
  const data = JSON.stringify({
    final: isFinal,
    title: `redpkt load ${report.scenario} · ${verdictOf(report, running)}`,
    elapsedMs: report.durationMs,
    html: renderReportBody(report, { running }),
  });
  res.write(`event: update\ndata: ${data}\n\n`);
}
