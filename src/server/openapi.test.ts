/* eslint-disable @typescript-eslint/no-explicit-any -- the document is read as plain JSON */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../domain/limits.js';
import { OPENAPI_FILE, openApiFileText } from './openapi-file.js';
import { openApiDocument } from './openapi.js';

describe('the OpenAPI document', () => {
  it('is committed as generated (run `npm run openapi` after changing a schema)', () => {
    expect(readFileSync(OPENAPI_FILE, 'utf8')).toBe(openApiFileText());
  });

  it("states the server's own limits, as serve --max-* sets them", () => {
    const doc = openApiDocument({
      limits: { ...DEFAULT_LIMITS, maxCount: 50, maxAmount: 9_000, maxShare: 300 },
    });
    const schema = doc.paths['/v1/c2c/packets']?.post as {
      requestBody: { content: { 'application/json': { schema: Record<string, any> } } };
    };
    const body = schema.requestBody.content['application/json'].schema;
    expect(body.properties.totalCount.maximum).toBe(50);
    expect(body.properties.totalAmount.maximum).toBe(9_000);
    expect(body.properties.expiresInSec.maximum).toBe(DEFAULT_LIMITS.maxExpiresInSec);
    expect(body.description).toContain('at most 300 fen');
    expect(body.additionalProperties).toBe(false);
  });

  it('gives every operation an operationId, a 4xx and content for every JSON answer', () => {
    const doc = openApiDocument();
    const ids = new Set<string>();
    for (const methods of Object.values(doc.paths))
      for (const op of Object.values(methods) as { operationId: string; responses: Record<string, any> }[]) {
        expect(ids.has(op.operationId)).toBe(false);
        ids.add(op.operationId);
        expect(Object.keys(op.responses).some((s) => s.startsWith('4'))).toBe(true);
        for (const r of Object.values(op.responses)) expect(r.content).toBeDefined();
      }
    expect(ids.size).toBeGreaterThanOrEqual(40);
  });
});
