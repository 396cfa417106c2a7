/**
 * The named values of a configuration file, with where they are: `KEY=value` in a dotenv file, `a.b.c: value` in
 * YAML, JSON and TOML, `key = value` in INI and properties files, XML attributes and elements, `export KEY=…` in
 * shell scripts, Dockerfile `ENV`/`ARG`, `.npmrc` `_authToken`, `curl -H 'Authorization: …'` in notes and scripts.
 *
 * Formats with a well-kept parser are read with it (dotenv, yaml, jsonc-parser, smol-toml); nothing is ever
 * evaluated. A file that does not parse falls back to the line reader, so a half-written file still gets checked.
 */
import { stripTrailingComment, trimBlanks } from '../util/linear';
import { isMap, isPair, isScalar, isSeq, parseAllDocuments, type Node as YamlNode } from 'yaml';
import { parseTree, type Node as JsonNode } from 'jsonc-parser';
import { parse as parseToml } from 'smol-toml';
import type { FileKind } from './kinds';

export interface NamedValue {
  /** the name the value is bound to (the last key): `STRIPE_SECRET_KEY`, `password`, `_authToken` */
  key: string;
  /** the names around it, outermost first, space-joined: `services api environment DATABASE_URL` */
  names: string;
  /** the value as the format means it (quotes removed, escapes decoded) */
  value: string;
  /** offsets of the value in the file (for a quoted value: inside the quotes) */
  start: number;
  end: number;
  /** Dockerfile instruction (`ENV`, `ARG`) or `export` when the value comes from one */
  via?: string;
}

/** The named values of a file of the given kind. Never throws. */
export function namedValues(text: string, kind: FileKind): NamedValue[] {
  let out: NamedValue[] | undefined;
  try {
    switch (kind) {
      case 'dotenv': out = dotenvValues(text); break;
      case 'yaml': out = yamlValues(text); break;
      case 'json': out = jsonValues(text); break;
      case 'toml': out = tomlValues(text); break;
      case 'xml': out = xmlValues(text); break;
      case 'dockerfile': out = dockerfileValues(text); break;
      default: out = undefined;
    }
  } catch {
    out = undefined;
  }
  const lines = lineValues(text, kind);
  if (!out) return lines;
  // the line reader still sees what a structured parse has no name for (curl headers in YAML CI files, etc.)
  return [...out, ...lines.filter((l) => l.via === 'header' && !out!.some((o) => o.start < l.end && l.start < o.end))];
}

// ---------------------------------------------------------------------------------------------------------
// dotenv

const DOTENV_LINE = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=[ \t]*/;

function dotenvValues(text: string): NamedValue[] {
  // dotenv (which loads node:crypto) is loaded when a .env file is first read, not at every start of the CLI
  const parsed = (require('dotenv') as typeof import('dotenv')).parse(text);
  const out: NamedValue[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    const m = DOTENV_LINE.exec(line);
    if (m && Object.prototype.hasOwnProperty.call(parsed, m[1])) {
      const value = parsed[m[1]];
      const rawStart = offset + m[0].length;
      const q = text[rawStart];
      const start = q === '"' || q === "'" || q === '`' ? rawStart + 1 : rawStart;
      // a multi-line quoted value (a PEM key) runs to its closing quote; others to the end of the line
      const firstLine = value.split('\n')[0];
      const at = firstLine ? text.indexOf(firstLine, start) : -1;
      const s = at >= 0 && at <= start + 2 ? at : start;
      let end = s + firstLine.length;
      if (value.includes('\n')) {
        const close = q ? text.indexOf(q, s) : -1;
        end = close > 0 ? close : end;
      }
      if (value) out.push({ key: m[1], names: m[1], value, start: s, end, via: /^\s*export\s/.test(line) ? 'export' : undefined });
    }
    offset += line.length + 1;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// YAML

function scalarText(n: YamlNode): string | undefined {
  if (!isScalar(n)) return undefined;
  if (typeof n.value === 'string') return n.value;
  if (typeof n.value === 'number' && Number.isSafeInteger(n.value) && String(n.value).length >= 8) return String(n.value);
  return undefined;
}

/** Offsets of a scalar's text: inside the quotes for a quoted scalar. */
function scalarRange(n: YamlNode, text: string): [number, number] | undefined {
  const r = (n as { range?: [number, number, number] }).range;
  if (!r) return undefined;
  let [s, e] = r;
  const c = text[s];
  if ((c === '"' || c === "'") && text[e - 1] === c) { s++; e--; }
  return [s, e];
}

function yamlValues(text: string): NamedValue[] {
  const out: NamedValue[] = [];
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [docs];
  const walk = (node: YamlNode | null | undefined, path: string[]) => {
    if (!node) return;
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const k = pair.key && isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (k === undefined) continue;
        const v = pair.value as YamlNode | null;
        const s = v ? scalarText(v) : undefined;
        if (s !== undefined) {
          const r = scalarRange(v!, text);
          if (r) out.push({ key: k, names: [...path, k].join(' '), value: s, start: r[0], end: r[1] });
        } else walk(v, [...path, k]);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) {
        const s = scalarText(item as YamlNode);
        if (s === undefined) { walk(item as YamlNode, path); continue; }
        const r = scalarRange(item as YamlNode, text);
        if (!r) continue;
        // docker-compose `environment: [KEY=value]`, GitHub Actions `env` lists, `--build-arg KEY=value`
        const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(s);
        if (m) {
          const at = text.indexOf(m[2], r[0]);
          if (m[2] && at >= 0 && at <= r[1]) out.push({ key: m[1], names: [...path, m[1]].join(' '), value: m[2], start: at, end: at + m[2].length });
        } else if (path.length) {
          out.push({ key: path[path.length - 1], names: path.join(' '), value: s, start: r[0], end: r[1] });
        }
      }
    }
  };
  for (const d of list) walk(d.contents as YamlNode | null, []);
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// JSON (with comments and trailing commas: tsconfig, VS Code settings, appsettings.json)

function jsonValues(text: string): NamedValue[] {
  const tree = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  if (!tree) throw new Error('not JSON');
  const out: NamedValue[] = [];
  const walk = (node: JsonNode, path: string[]) => {
    if (node.type === 'object') {
      for (const prop of node.children ?? []) {
        const [k, v] = prop.children ?? [];
        if (!k || !v || typeof k.value !== 'string') continue;
        if (v.type === 'string' && typeof v.value === 'string') {
          out.push({ key: k.value, names: [...path, k.value].join(' '), value: v.value, start: v.offset + 1, end: v.offset + v.length - 1 });
        } else walk(v, [...path, k.value]);
      }
    } else if (node.type === 'array') {
      for (const item of node.children ?? []) {
        if (item.type === 'string' && typeof item.value === 'string' && path.length) {
          out.push({ key: path[path.length - 1], names: path.join(' '), value: item.value, start: item.offset + 1, end: item.offset + item.length - 1 });
        } else walk(item, path);
      }
    }
  };
  walk(tree, []);
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// TOML: parsed for the names and values; each value is then found in the text after its key

function tomlValues(text: string): NamedValue[] {
  const data = parseToml(text) as Record<string, unknown>;
  const out: NamedValue[] = [];
  let cursor = 0;
  const walk = (obj: unknown, path: string[]) => {
    if (Array.isArray(obj)) { for (const x of obj) walk(x, path); return; }
    if (!obj || typeof obj !== 'object' || obj instanceof Date) return;
    for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
      if (typeof v === 'string') {
        if (!v) continue;
        const keyAt = text.indexOf(k, cursor);
        const from = keyAt >= 0 ? keyAt : 0;
        const at = text.indexOf(v.split('\n')[0], from);
        if (at < 0) continue;
        cursor = at;
        out.push({ key: k, names: [...path, k].join(' '), value: v, start: at, end: at + v.split('\n')[0].length });
      } else walk(v, [...path, k]);
    }
  };
  walk(data, []);
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// XML: appSettings `<add key="…" value="…"/>`, attributes named like secrets, `<password>…</password>` elements

function xmlValues(text: string): NamedValue[] {
  const out: NamedValue[] = [];
  const ADD = /<add\s+(?:key|name)\s*=\s*"([^"]+)"\s+(?:value|connectionString)\s*=\s*"([^"]*)"/gi;
  for (let m; (m = ADD.exec(text));) {
    const start = m.index + m[0].length - m[2].length - 1;
    if (m[2]) out.push({ key: m[1], names: m[1], value: decodeXml(m[2]), start, end: start + m[2].length });
  }
  const ATTR = /\s([A-Za-z_][\w.:-]*)\s*=\s*"([^"]{6,})"/g;
  for (let m; (m = ATTR.exec(text));) {
    if (/^(key|name|value|connectionString|xmlns(:\w+)?|id|class|type|version|encoding|href|src)$/i.test(m[1])) continue;
    const start = m.index + m[0].length - m[2].length - 1;
    out.push({ key: m[1], names: m[1], value: decodeXml(m[2]), start, end: start + m[2].length });
  }
  const ELEM = /<([A-Za-z_][\w.-]*)>([^<>\s]{6,})<\/\1>/g;
  for (let m; (m = ELEM.exec(text));) {
    const start = m.index + m[1].length + 2;
    out.push({ key: m[1], names: m[1], value: decodeXml(m[2]), start, end: start + m[2].length });
  }
  return out;
}

function decodeXml(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

// ---------------------------------------------------------------------------------------------------------
// Dockerfile: ENV/ARG in both forms (`ENV A=1 B="2"`, `ENV A 1`)

function dockerfileValues(text: string): NamedValue[] {
  const out: NamedValue[] = [];
  const INSTR = /^[ \t]*(ENV|ARG)[ \t]([^\r\n]*)/gim;
  for (let m; (m = INSTR.exec(text));) {
    const via = m[1].toUpperCase();
    const body = m[2].replace(/^[ \t]+/, '');
    if (!body) continue;
    const bodyStart = m.index + m[0].length - body.length;
    if (!body.includes('=') && via === 'ENV') {
      // legacy form: ENV NAME value with spaces
      const mm = legacyEnv(body);
      if (mm) {
        const v = unquote(mm[2]);
        const at = bodyStart + body.indexOf(v.text, mm[1].length);
        out.push({ key: mm[1], names: mm[1], value: v.text, start: at, end: at + v.text.length, via });
      }
      continue;
    }
    const PAIR = /(?<![A-Za-z0-9_])([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g;
    for (let p; (p = PAIR.exec(body));) {
      const v = unquote(p[2]);
      if (!v.text) continue;
      const at = bodyStart + p.index + p[1].length + 1 + v.offset;
      out.push({ key: p[1], names: p[1], value: v.text, start: at, end: at + v.text.length, via });
    }
  }
  return out;
}

/** `ENV NAME some value \`: the name, then the value with blanks and one trailing line continuation cut. */
function legacyEnv(body: string): [string, string, string] | undefined {
  const sp = body.search(/\s/);
  if (sp <= 0) return undefined;
  const rest = body.slice(sp).trimStart();
  let end = rest.length;
  if (rest[end - 1] === '\\') end--;
  while (end > 0 && /\s/.test(rest[end - 1])) end--;
  if (end === 0) return undefined;
  return [body, body.slice(0, sp), rest.slice(0, end)];
}

function unquote(raw: string): { text: string; offset: number } {
  const c = raw[0];
  if ((c === '"' || c === "'") && raw.endsWith(c) && raw.length >= 2) return { text: raw.slice(1, -1), offset: 1 };
  return { text: raw, offset: 0 };
}

// ---------------------------------------------------------------------------------------------------------
// everything else, line by line: INI, properties, .npmrc, shell, notes

// values are captured with their blanks and trimmed in code: `[ \t]*(.*?)[ \t]*$` backtracks on long blank runs
const HEADER = /(?:-H|--header)[ \t]+(["'])((?:authorization|proxy-authorization|x-api-key|api-key|x-auth-token|x-access-token|private-token|x-goog-api-key|x-api-token|apikey)[ \t]*:([^"'\n]+))\1/gi;
const KEY_EQ = /^[ \t]*(?:export[ \t]+|set[ \t]+|setx[ \t]+|\$env:)?([A-Za-z_@/.][^\s=:]*(?::[^\s=]*)?)[ \t]*=(.*)$/;
const KEY_COLON = /^[ \t]*(?:-[ \t]*)?([A-Za-z_][\w.-]*)[ \t]*:[ \t](.*)$/;

function lineValues(text: string, kind: FileKind): NamedValue[] {
  const out: NamedValue[] = [];
  HEADER.lastIndex = 0;
  for (let m; (m = HEADER.exec(text));) {
    const header = m[2];
    const name = header.slice(0, header.indexOf(':')).trim();
    const value = m[3].trim();
    const start = m.index + m[0].indexOf(m[3]) + (m[3].length - m[3].trimStart().length);
    out.push({ key: name, names: name, value, start, end: start + value.length, via: 'header' });
  }
  if (kind === 'key') return out;
  let offset = 0;
  for (const line of text.split('\n')) {
    const here = offset;
    offset += line.length + 1;
    const trimmed = line.trim();
    if (!trimmed || /^(#|;|\/\/|<!--|\*|REM\b)/i.test(trimmed)) continue;
    const clean = line.replace(/\r$/, '');
    let m = KEY_EQ.exec(clean);
    // `key: value` only where the format uses it (properties, YAML-ish notes); not in shell or INI
    if (!m && kind !== 'shell' && kind !== 'ini' && kind !== 'npmrc') m = KEY_COLON.exec(clean);
    if (!m) continue;
    let raw = trimBlanks(m[2]);
    if (!raw) continue;
    // a trailing comment after whitespace (INI, shell): `KEY=value  # note`
    raw = stripTrailingComment(raw, '#;', ' \t');
    const v = unquote(raw.replace(/;$/, ''));
    if (!v.text || v.text.length > 2000) continue;
    const keyEnd = clean.indexOf(m[1]) + m[1].length;
    const at = here + clean.indexOf(raw, keyEnd) + v.offset;
    let key = m[1];
    let value = v.text;
    // a URL's query parameter (`https://host/reset?token=[token]&user=[user]`): the name is the parameter's, and
    // the value ends where the next parameter or the fragment starts
    const param = /[?&]([\w.-]+)$/.exec(key);
    if (param && /^[a-z][a-z0-9+.-]*:\/\/|^\//i.test(key)) {
      key = param[1];
      const cut = value.search(/[&#\s]/);
      if (cut >= 0) value = value.slice(0, cut);
      if (!value) continue;
    }
    out.push({ key, names: key, value, start: at, end: at + value.length, via: /^\s*export\s/.test(line) ? 'export' : undefined });
  }
  return out;
}
