import type { Context } from 'hono';
import type { z } from 'zod';
import { RedpktError } from '../domain/errors.js';

function describeIssues(error: z.ZodError, what: string): { message: string; fields: string[] } {
  const fields = error.issues.map((i) => i.path.join('.') || `(${what})`);
  const message = error.issues.map((i) => `${i.path.join('.') || what}: ${i.message}`).join('; ');
  return { message, fields };
}

/**
 * Validates `value`; a failure is VALIDATION_FAILED naming the offending fields. `what` names the
 * value itself when it is not an object (a path parameter: `parseWith(PacketIdParam, id, 'id')`).
 */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, what = 'body'): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const { message, fields } = describeIssues(result.error, what);
    throw new RedpktError('VALIDATION_FAILED', message, { details: { fields } });
  }
  return result.data;
}

/** Reads and validates a JSON body; malformed JSON is VALIDATION_FAILED, not a 500. */
export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch (e) {
    throw new RedpktError('VALIDATION_FAILED', 'body must be a JSON object', { cause: e });
  }
  return parseWith(schema, raw);
}
