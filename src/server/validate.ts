import type { Context } from 'hono';
import type { z } from 'zod';
import { RedpktError } from '../domain/errors.js';

function describeIssues(error: z.ZodError): { message: string; fields: string[] } {
  const fields = error.issues.map((i) => i.path.join('.') || '(body)');
  const message = error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
  return { message, fields };
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const { message, fields } = describeIssues(result.error);
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
