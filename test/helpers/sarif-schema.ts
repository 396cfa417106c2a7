/** The official SARIF 2.1.0 JSON schema (draft-04, shipped in @microsoft/jest-sarif) as an assertion. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv-draft-04';

const schemaPath = join(__dirname, '..', '..', 'node_modules', '@microsoft', 'jest-sarif', 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json');

export const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;
const URI_CHARS = /^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/;

let compiled: ReturnType<Ajv['compile']> | undefined;
function validator() {
  if (compiled) return compiled;
  // the schema's `language` pattern has a stray "]" that only the non-unicode RegExp syntax accepts
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  // RFC 3986: "uri" is absolute, "uri-reference" may be relative; both only use URI characters
  ajv.addFormat('uri', (s: string) => SCHEME.test(s) && URI_CHARS.test(s) && (() => { try { new URL(s); return true; } catch { return false; } })());
  ajv.addFormat('uri-reference', (s: string) => URI_CHARS.test(s) && (SCHEME.test(s) || !/^[^/?#]*:/.test(s)));
  ajv.addFormat('date-time', (s: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(s) && !Number.isNaN(Date.parse(s)));
  compiled = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
  return compiled;
}

export function assertValid(log: unknown): void {
  const validate = validator();
  const ok = validate(log);
  assert.ok(ok, `SARIF schema errors:\n${JSON.stringify(validate.errors?.slice(0, 10), null, 2)}`);
}

