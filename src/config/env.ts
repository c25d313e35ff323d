import { z } from 'zod';

/** The only place that reads process.env. Everything else receives parsed values. */
const EnvSchema = z.object({
  REDPKT_SECRET: z.string().min(16).optional(),
  REDPKT_DATA_DIR: z.string().min(1).optional(),
  REDPKT_MYSQL: z.string().url().optional(),
  REDPKT_REDIS: z.string().url().optional(),
  /** Issue 4: where alerts are POSTed (`serve --alert-webhook`). */
  REDPKT_ALERT_WEBHOOK: z.string().url().optional(),
  REDPKT_LOG_LEVEL: z.enum(['silent', 'error', 'warn', 'info', 'debug']).optional(),
  /** Issue 7: the key of the /admin API (`serve --admin-key`; default: derived from the secret). */
  REDPKT_ADMIN_KEY: z.string().min(16).optional(),
  /** Integration tests: the MariaDB server and Redis to use, and whether their absence fails. */
  REDPKT_TEST_MYSQL: z.string().url().default('mysql://root@127.0.0.1:3306/test'),
  REDPKT_TEST_REDIS: z.string().url().default('redis://127.0.0.1:6379'),
  CI: z.string().optional(),
  /** Issue 17: no ANSI colour when set (https://no-color.org); recon's tables honour it. */
  NO_COLOR: z.string().optional(),
});

export type Env = z.infer<typeof EnvSchema>;

export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  return EnvSchema.parse(source);
}
