/**
 * Issue 18: checks real answers against the served OpenAPI document with ajv (JSON Schema 2020-12,
 * OpenAPI 3.1's dialect): the operation is found by method and path template, the status must be
 * one the operation declares, the content type the one it declares, the body valid.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv/dist/2020.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- an OpenAPI document read as JSON
type Doc = any;

interface Template {
  method: string;
  path: string;
  regex: RegExp;
  params: number;
}

export interface Answer {
  method: string;
  /** The path as requested, without the query string. */
  path: string;
  status: number;
  contentType: string | null;
  body: unknown;
}

export function createOpenApiValidator(doc: Doc) {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  const templates: Template[] = [];
  for (const [path, methods] of Object.entries<Record<string, unknown>>(doc.paths)) {
    const pattern = path.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '[^/]+');
    for (const method of Object.keys(methods))
      templates.push({
        method,
        path,
        regex: new RegExp(`^${pattern}$`),
        params: (path.match(/\{/g) ?? []).length,
      });
  }
  const compiled = new Map<string, ValidateFunction>();
  const validatorFor = (key: string, schema: unknown): ValidateFunction => {
    let v = compiled.get(key);
    if (!v) {
      // the response's schema beside the document's components, so its $refs resolve
      v = ajv.compile({ ...(schema as object), components: doc.components });
      compiled.set(key, v);
    }
    return v;
  };
  /** The problems with one answer; empty when it conforms. */
  const check = (a: Answer): string[] => {
    const method = a.method.toLowerCase();
    const t = templates
      .filter((x) => x.method === method && x.regex.test(a.path))
      .sort((x, y) => x.params - y.params)[0];
    if (!t) return [`${a.method} ${a.path}: no operation in the document`];
    const op = doc.paths[t.path][method];
    const response = op.responses[String(a.status)];
    const where = `${op.operationId} ${a.status}`;
    if (!response) return [`${where}: status not declared (body ${JSON.stringify(a.body)})`];
    const content = response.content as Record<string, { schema: unknown }> | undefined;
    if (!content) return a.body === '' ? [] : [`${where}: a body where none is declared`];
    const type = (a.contentType ?? '').split(';')[0]!.trim();
    const media = content[type];
    if (!media) return [`${where}: content type ${type} not declared (${Object.keys(content).join(', ')})`];
    if (type !== 'application/json') return [];
    const validate = validatorFor(`${t.path} ${method} ${a.status}`, media.schema);
    return validate(a.body)
      ? []
      : [`${where}: ${ajv.errorsText(validate.errors)} in ${JSON.stringify(a.body).slice(0, 300)}`];
  };
  return { check, operations: () => templates.map((t) => `${t.method.toUpperCase()} ${t.path}`) };
}
