import { z } from 'zod';
import { RedpktError } from '../domain/errors.js';
import { mysqlUrl } from './mysql-url.js';

/** The only place that reads process.env. Everything else receives parsed values. */
const EnvSchema = z.object({
  REDPKT_SECRET: z.string().min(16).optional(),
  REDPKT_DATA_DIR: z.string().min(1).optional(),
  REDPKT_MYSQL: mysqlUrl.optional(),
  REDPKT_REDIS: z.string().url().optional(),
  /** Issue 4: where alerts are POSTed (`serve --alert-webhook`). */
  REDPKT_ALERT_WEBHOOK: z.string().url().optional(),
  REDPKT_LOG_LEVEL: z.enum(['silent', 'error', 'warn', 'info', 'debug']).optional(),
  /** Issue 7: the key of the /admin API (`serve --admin-key`; default: derived from the secret). */
  REDPKT_ADMIN_KEY: z.string().min(16).optional(),
  /** Issue 20: `redpkt load --segment` from the environment, and Kubernetes' Indexed Job index. */
  REDPKT_SEGMENT: z.string().min(1).optional(),
  JOB_COMPLETION_INDEX: z.string().min(1).optional(),
  /** Integration tests: the MariaDB server and Redis to use, and whether their absence fails. */
  REDPKT_TEST_MYSQL: z.string().url().default('mysql://root@127.0.0.1:3306/test'),
  REDPKT_TEST_REDIS: z.string().url().default('redis://127.0.0.1:6379'),
  CI: z.string().optional(),
  /** Issue 17: no ANSI colour when set (https://no-color.org); recon's tables honour it. */
  NO_COLOR: z.string().optional(),
});

export type Env = z.infer<typeof EnvSchema>;

/** A bad variable is a usage error naming it (issue 17), not a stack trace. */
export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const result = EnvSchema.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`);
  throw new RedpktError('USAGE', `bad environment variable: ${problems.join('; ')}`);
}
