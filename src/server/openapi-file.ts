/**
 * docs/openapi.json: the document with the default limits, committed so that `npm run lint` lints
 * it (Redocly) without a server and people can read it; `npm run openapi` rewrites it, and
 * openapi.test.ts fails when it is stale. A running server serves its own (`GET /openapi.json`).
 */
import { openApiDocument } from './openapi.js';

export const OPENAPI_FILE = 'docs/openapi.json';

export function openApiFileText(): string {
  const doc = openApiDocument({ serverUrl: 'http://127.0.0.1:8080' });
  return `${JSON.stringify(doc, null, 2)}\n`;
}
