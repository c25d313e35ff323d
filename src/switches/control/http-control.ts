/** The switch commands' `--target URL`: the admin API of a running instance, with the admin key. */
import { RedpktError, isErrorCode } from '../../domain/errors.js';
import type { AuditEntry, SwitchChangeResult } from '../ports.js';
import type { SwitchView } from '../switch-board.js';
import type { SwitchControl } from './switch-control.js';

interface Answer {
  status: number;
  body: unknown;
}

function errorOf(url: string, answer: Answer): RedpktError {
  const error = (answer.body as { error?: { code?: string; message?: string } } | null)?.error;
  const code = isErrorCode(error?.code) ? error.code : undefined;
  const message = error?.message ?? `HTTP ${answer.status}`;
  // a refused key or a refused value is the operator's to fix: a usage error (exit 3)
  if (code === 'UNAUTHENTICATED' || code === 'FORBIDDEN')
    return new RedpktError(
      'USAGE',
      `${url} refused the admin key (${code}: ${message}); pass its --admin-key (\`redpkt admin-key\` prints it on the service's host), or its --secret / --data-dir`,
    );
  if (code === 'VALIDATION_FAILED' || code === 'USAGE') return new RedpktError('USAGE', message);
  if (code === 'NOT_FOUND') return new RedpktError('USAGE', `${url} has no admin API (${message})`);
  return new RedpktError(code ?? 'DEPENDENCY_FAILED', `${url}: ${message}`);
}

export function createHttpControl(baseUrl: string, adminKey: string, timeoutMs = 10_000): SwitchControl {
  async function call(method: string, path: string, body?: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          'x-admin-key': adminKey,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      throw new RedpktError(
        'DEPENDENCY_FAILED',
        `target ${baseUrl} is not answering: ${e instanceof Error ? e.message : String(e)}`,
        { cause: e },
      );
    }
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: reported by status below
    }
    if (!res.ok) throw errorOf(baseUrl, { status: res.status, body: parsed });
    return parsed;
  }

  return {
    where: baseUrl,
    list: async () => ((await call('GET', '/admin/switches')) as { switches: SwitchView[] }).switches,
    async set(request) {
      const body =
        request.kind === 'limit'
          ? { perSecond: request.value > 0 ? request.value : null }
          : { on: request.value > 0 };
      const path = `/admin/switches/${encodeURIComponent(request.kind)}/${encodeURIComponent(request.name)}`;
      return (await call('PUT', path, {
        ...body,
        actor: request.actor,
        ...(request.reason ? { reason: request.reason } : {}),
      })) as { change: SwitchChangeResult; switch: SwitchView | undefined };
    },
    async audit(query) {
      const qs = new URLSearchParams({
        limit: String(query.limit),
        ...(query.kind ? { kind: query.kind } : {}),
      });
      return ((await call('GET', `/admin/audit?${qs}`)) as { entries: AuditEntry[] }).entries;
    },
    async close() {},
  };
}
