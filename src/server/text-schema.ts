/**
 * Free text on the wire (greetings, reasons, subjects). Issue 18: a NUL or a lone surrogate does
 * not survive every store (SQLite's C strings end at NUL, MySQL's utf8mb4 has no lone surrogates),
 * so it is refused with VALIDATION_FAILED instead of being stored as something else.
 */
import { z } from 'zod';

/** A NUL, a high surrogate not followed by a low one, or a low one not after a high one. */
// eslint-disable-next-line no-control-regex -- the NUL is what this looks for
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const storable = (s: string) => !UNSTORABLE.test(s);

export const text = (max: number, min = 0) =>
  z
    .string()
    .min(min)
    .max(max)
    .refine(storable, 'must be well-formed Unicode text without NUL characters')
    .meta({ description: 'Unicode text; NUL characters and lone surrogates are refused' });
