/**
 * OpenAPI specs that express-openapi-validator serves: the operations they route to handler modules
 * (`x-eov-operation-handler`, `x-eov-operation-id`), and what the validator checks of each request body before the
 * handler runs. Rules read them through the project model (`ProjectModel.openApiOperations`): a handler whose
 * body the spec closes to unknown fields is not a mass assignment.
 *
 * Only specs written for the validator's operation handlers are read (their text names `x-eov-operation-handler`),
 * so other YAML and JSON files cost a name test and, for a spec-like name, a text search.
 */
import { parse as parseJsonc } from 'jsonc-parser';
import { parse as parseYaml } from 'yaml';
import type { ConfigFacts, OpenApiOperation } from './types';

/** A file named like an OpenAPI spec (`openapi.yml`, `swagger.json`, `api-spec.yaml`, `specs/openapi/v1.yaml`). */
export const OPENAPI_NAME = /(^|\/)([^/]*(openapi|swagger|api[-_.]?spec)[^/]*\.(ya?ml|json)|(openapi|swagger)\/[^/]+\.(ya?ml|json))$/i;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/**
 * Whether the module `file` (an engine path) is the one an `x-eov-operation-handler` names: the handler is relative to
 * the validator's `operationHandlers` folder, without extension, so it is matched as the end of the module's path.
 */
export function isHandlerModule(file: string, handler: string): boolean {
  const stem = file.replace(/\.[cm]?[jt]sx?$/, '');
  return stem === handler || stem.endsWith(`/${handler}`);
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);

/** The facts of an OpenAPI spec that routes operations to handlers; undefined for any other file. */
export function openApiFactsOf(file: string, text: string): ConfigFacts | undefined {
  if (!text.includes('x-eov-operation-handler')) return undefined;
  let doc: unknown;
  try {
    doc = /\.json$/i.test(file) ? parseJsonc(text, [], { allowTrailingComma: true }) : parseYaml(text, { maxAliasCount: 100 });
  } catch {
    return undefined; // a spec that does not parse is left out (the validator refuses it too)
  }
  if (!isObject(doc) || !isObject(doc.paths) || !(typeof doc.openapi === 'string' || typeof doc.swagger === 'string')) return undefined;
  const root = doc;
  const operations: OpenApiOperation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!isObject(item)) continue;
    for (const method of METHODS) {
      const op = item[method];
      if (!isObject(op)) continue;
      const handler = op['x-eov-operation-handler'];
      const id = op['x-eov-operation-id'] ?? op.operationId;
      if (typeof handler !== 'string' || typeof id !== 'string' || !handler.trim() || !id.trim()) continue;
      const body = bodyOf(root, op);
      operations.push({
        handler: handler.trim().replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/\.[cm]?[jt]s$/, ''),
        id: id.trim(), method: method.toUpperCase(), path, bodySchema: body.schema, closedBody: body.closed,
      });
    }
  }
  return operations.length ? { file: file.replace(/\\/g, '/'), kind: 'openapi', operations } : undefined;
}

/** Whether an operation has a request body schema, and whether every one of its schemas is closed. */
function bodyOf(root: Json, op: Json): { schema: boolean; closed: boolean } {
  const requestBody = deref(root, op.requestBody);
  if (requestBody && isObject(requestBody.content)) {
    const schemas = Object.values(requestBody.content).map((m) => (isObject(m) ? m.schema : undefined));
    if (!schemas.length || schemas.some((s) => s === undefined)) return { schema: schemas.length > 0 && schemas.some((s) => s !== undefined), closed: false };
    return { schema: true, closed: schemas.every((s) => closed(root, s, 0)) };
  }
  // Swagger 2: a parameter `in: body` with its schema
  if (Array.isArray(op.parameters)) {
    for (const p of op.parameters) {
      const param = deref(root, p);
      if (param && param.in === 'body' && param.schema !== undefined) return { schema: true, closed: closed(root, param.schema, 0) };
    }
  }
  return { schema: false, closed: false };
}

/**
 * A schema that refuses properties it does not name: an object with `additionalProperties: false` (or
 * `unevaluatedProperties: false`); an `allOf` one of whose parts is closed (the validator applies that part's
 * `additionalProperties` to the whole body); a `oneOf`/`anyOf` whose every branch is closed.
 */
function closed(root: Json, s: unknown, depth: number): boolean {
  const schema = deref(root, s);
  if (!schema || depth > 20) return false;
  if (schema.additionalProperties === false || schema.unevaluatedProperties === false) return true;
  if (Array.isArray(schema.allOf) && schema.allOf.some((x) => closed(root, x, depth + 1))) return true;
  for (const k of ['oneOf', 'anyOf']) {
    const branches = schema[k];
    if (Array.isArray(branches) && branches.length && branches.every((x) => closed(root, x, depth + 1))) return true;
  }
  return false;
}

/** A value with its local `$ref`s followed (`#/components/schemas/x`); undefined for a reference into another file. */
function deref(root: Json, v: unknown): Json | undefined {
  for (let i = 0; i < 20 && isObject(v); i++) {
    const ref = v.$ref;
    if (typeof ref !== 'string') return v;
    if (!ref.startsWith('#/')) return undefined;
    let at: unknown = root;
    for (const part of ref.slice(2).split('/')) {
      const key = decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~');
      at = isObject(at) ? at[key] : undefined;
    }
    v = at;
  }
  return isObject(v) && typeof v.$ref !== 'string' ? v : undefined;
}
