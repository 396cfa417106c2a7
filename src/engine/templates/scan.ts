/**
 * Server-side template files (EJS, Pug, Handlebars, Nunjucks/Swig): where they print values, and whether
 * each print is escaped. Read with plain index loops (no regex over the whole text), so a large or broken
 * template costs linear time. The expressions are not evaluated; only their text is kept.
 */

export type TemplateEngine = 'ejs' | 'pug' | 'handlebars' | 'nunjucks';

export interface TemplateOutput {
  /** offsets of the whole tag (`<%- bio %>`, `!{bio}`, `{{{ bio }}}`, `{{ bio | safe }}`) */
  start: number;
  end: number;
  /** the printed expression, trimmed (filters removed for Nunjucks) */
  expr: string;
  /** printed without HTML escaping */
  raw: boolean;
  /** how the tag is written, for messages: `<%-`, `!{}`, `!=`, `{{{`, `{{&`, `| safe`, `autoescape false` */
  how: string;
  /** inside an inline `<script>` block (or a Pug `script.` block) */
  inScript: boolean;
}

const NAMED: Record<string, TemplateEngine> = {
  ejs: 'ejs', pug: 'pug', jade: 'pug', hbs: 'handlebars', handlebars: 'handlebars', mustache: 'handlebars',
  njk: 'nunjucks', nunjucks: 'nunjucks', swig: 'nunjucks', j2: 'nunjucks', jinja: 'nunjucks', jinja2: 'nunjucks',
};

/**
 * The template language of a file: by its extension, or, for `.html`/`.htm` files (Express apps often name
 * EJS, Nunjucks or Handlebars views `.html`), by the tags it holds. Undefined for every other file.
 */
export function templateEngineOf(path: string, text: string): TemplateEngine | undefined {
  const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1).toLowerCase();
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const ext = name.slice(dot + 1);
  if (NAMED[ext]) return NAMED[ext];
  if (ext !== 'html' && ext !== 'htm') return undefined;
  if (text.includes('<%')) return 'ejs';
  if (text.includes('{%') || /\{\{[^}\n]{0,200}\|\s{0,5}safe\b/.test(text)) return 'nunjucks';
  if (text.includes('{{{')) return 'handlebars';
  return undefined;
}

/** `[start, end)` ranges of the bodies of inline `<script>` elements that hold code (not `type="text/template"`). */
function htmlScriptRanges(text: string): [number, number][] {
  const lower = text.toLowerCase();
  const out: [number, number][] = [];
  for (let i = lower.indexOf('<script'); i !== -1; i = lower.indexOf('<script', i + 7)) {
    const open = lower.indexOf('>', i);
    if (open === -1) break;
    const close = lower.indexOf('</script', open);
    const end = close === -1 ? text.length : close;
    const attrs = lower.slice(i, open);
    const typeAt = attrs.indexOf('type=');
    const type = typeAt === -1 ? '' : attrs.slice(typeAt + 5).replace(/^["']/, '').split(/["'\s]/)[0];
    if (!/\bsrc=/.test(attrs) && (type === '' || type.includes('javascript') || type === 'module')) out.push([open + 1, end]);
    if (close === -1) break;
    i = close;
  }
  return out;
}

const inRanges = (ranges: [number, number][], at: number) => ranges.some(([s, e]) => at >= s && at < e);

function ejsOutputs(text: string): TemplateOutput[] {
  const scripts = htmlScriptRanges(text);
  const out: TemplateOutput[] = [];
  for (let i = text.indexOf('<%'); i !== -1; i = text.indexOf('<%', i + 2)) {
    let j = i + 2;
    if (text[j] === '%') { i = j; continue; } // `<%%` prints a literal `<%`
    if (text[j] === '_') j++;
    const mark = text[j];
    const close = text.indexOf('%>', j);
    if (close === -1) break;
    if (mark === '-' || mark === '=') {
      let inner = text.slice(j + 1, close);
      if (inner.endsWith('-') || inner.endsWith('_')) inner = inner.slice(0, -1);
      out.push({ start: i, end: close + 2, expr: inner.trim(), raw: mark === '-', how: mark === '-' ? '<%-' : '<%=', inScript: inRanges(scripts, i) });
    }
    i = close;
  }
  return out;
}

/** The offset just after the `}` matching the `{` at `open`, skipping quoted strings; -1 when unclosed on the line. */
function matchBrace(text: string, open: number): number {
  let depth = 0;
  for (let k = open; k < text.length; k++) {
    const c = text[k];
    if (c === '\n') return -1;
    if (c === '"' || c === "'" || c === '`') {
      const q = text.indexOf(c, k + 1);
      if (q === -1) return -1;
      k = q;
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return k + 1;
  }
  return -1;
}

function pugOutputs(text: string): TemplateOutput[] {
  const out: TemplateOutput[] = [];
  let scriptIndent = -1; // indentation of the `script.` line whose block we are in
  let pos = 0;
  while (pos <= text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl === -1) nl = text.length;
    const line = text.slice(pos, nl);
    const body = line.trimStart();
    const indent = line.length - body.length;
    if (body && scriptIndent >= 0 && indent <= scriptIndent) scriptIndent = -1;
    const inScript = scriptIndent >= 0 && indent > scriptIndent;
    if (!inScript && /^script\b[^\n]{0,400}\.\s*$/.test(body) && !/type=["']text\/(template|x-)/.test(body)) scriptIndent = indent;
    if (body.startsWith('//')) { pos = nl + 1; continue; }
    for (let k = line.indexOf('{'); k > 0; k = line.indexOf('{', k + 1)) {
      const c = line[k - 1];
      if (c !== '!' && c !== '#') continue;
      if (k >= 2 && line[k - 2] === '\\') continue; // `\#{` is literal text
      const end = matchBrace(line, k);
      if (end === -1) continue;
      const raw = c === '!';
      out.push({ start: pos + k - 1, end: pos + end, expr: line.slice(k + 1, end - 1).trim(), raw, how: raw ? '!{}' : '#{}', inScript });
      k = end - 1;
    }
    if (!inScript) {
      // buffered code: `p!= expr`, `div.bio!= expr`, `!= expr`, `p(class="x")!= expr`; `p= expr` is escaped
      const eq = /^[A-Za-z0-9_.#:-]{0,80}(\([^\n]{0,400}\))?(!?=)\s/.exec(body);
      if (eq && !body.startsWith('-')) {
        const raw = eq[2] === '!=';
        const exprAt = eq[0].length;
        out.push({ start: pos + indent, end: nl, expr: body.slice(exprAt).trim(), raw, how: raw ? '!=' : '=', inScript: /^script\b/.test(body) });
      }
    }
    pos = nl + 1;
  }
  return out;
}

function handlebarsOutputs(text: string): TemplateOutput[] {
  const scripts = htmlScriptRanges(text);
  const out: TemplateOutput[] = [];
  for (let i = text.indexOf('{{'); i !== -1; i = text.indexOf('{{', i + 2)) {
    if (i > 0 && text[i - 1] === '\\') continue; // `\{{` is literal text
    const triple = text[i + 2] === '{';
    const closer = triple ? '}}}' : '}}';
    const close = text.indexOf(closer, i + 2);
    if (close === -1) break;
    let inner = text.slice(i + (triple ? 3 : 2), close);
    if (inner.startsWith('~')) inner = inner.slice(1);
    if (inner.endsWith('~')) inner = inner.slice(0, -1);
    const first = inner.trimStart()[0];
    // comments, blocks, partials, else, inline partials: no output of a value
    if (first === '!' || first === '#' || first === '/' || first === '>' || first === '^' || first === '*' || first === undefined) { i = close; continue; }
    if (/^\s*else\b/.test(inner)) { i = close; continue; }
    const amp = first === '&';
    const raw = triple || amp;
    const expr = (amp ? inner.trimStart().slice(1) : inner).trim();
    out.push({ start: i, end: close + closer.length, expr, raw, how: triple ? '{{{' : amp ? '{{&' : '{{', inScript: inRanges(scripts, i) });
    i = close;
  }
  return out;
}

function nunjucksOutputs(text: string): TemplateOutput[] {
  const scripts = htmlScriptRanges(text);
  // `{% autoescape false %}` … `{% endautoescape %}`: everything printed inside is raw
  const noEscape: [number, number][] = [];
  for (let i = text.indexOf('{%'); i !== -1; i = text.indexOf('{%', i + 2)) {
    const close = text.indexOf('%}', i);
    if (close === -1) break;
    const tag = text.slice(i + 2, close).replace(/^-/, '').trim();
    if (/^autoescape\s+(false|off)\b/.test(tag)) {
      const endAt = text.indexOf('endautoescape', close);
      noEscape.push([close, endAt === -1 ? text.length : endAt]);
    }
    i = close;
  }
  const out: TemplateOutput[] = [];
  for (let i = text.indexOf('{{'); i !== -1; i = text.indexOf('{{', i + 2)) {
    const close = text.indexOf('}}', i + 2);
    if (close === -1) break;
    const inner = text.slice(i + 2, close).replace(/^-/, '').replace(/-$/, '').trim();
    const parts = splitFilters(inner);
    const safe = parts.slice(1).some((f) => /^safe\b/.test(f));
    // a filter that escapes or encodes anywhere in the chain makes the output safe again (`| safe | url_encode`)
    const escaped = parts.slice(1).some((f) => /^(e|escape|escapejs|escape_js|urlencode|url_encode|striptags|int|float|length|round|abs)\b/.test(f) && !/^safe\b/.test(f));
    const blockRaw = !safe && inRanges(noEscape, i);
    out.push({
      start: i, end: close + 2, expr: parts[0], raw: (safe || blockRaw) && !escaped,
      how: safe ? '| safe' : blockRaw ? 'autoescape false' : '{{', inScript: inRanges(scripts, i),
    });
    i = close;
  }
  return out;
}

/** `a | b(1) | c` → ['a', 'b(1)', 'c'], ignoring `|` inside strings, brackets and `||`. */
function splitFilters(expr: string): string[] {
  const out: string[] = [];
  let depth = 0, last = 0;
  for (let k = 0; k < expr.length; k++) {
    const c = expr[k];
    if (c === '"' || c === "'") { const q = expr.indexOf(c, k + 1); if (q === -1) break; k = q; continue; }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === '|' && depth === 0) {
      if (expr[k + 1] === '|') { k++; continue; }
      out.push(expr.slice(last, k).trim());
      last = k + 1;
    }
  }
  out.push(expr.slice(last).trim());
  return out;
}

export function templateOutputs(text: string, engine: TemplateEngine): TemplateOutput[] {
  switch (engine) {
    case 'ejs': return ejsOutputs(text);
    case 'pug': return pugOutputs(text);
    case 'handlebars': return handlebarsOutputs(text);
    case 'nunjucks': return nunjucksOutputs(text);
  }
}

/** Ranges of inline script code in a template (HTML `<script>` bodies; Pug `script.` blocks are marked per output). */
export function templateScriptRanges(text: string, engine: TemplateEngine): [number, number][] {
  return engine === 'pug' ? [] : htmlScriptRanges(text);
}

/**
 * The root names an expression reads (`user.bio` → user; `markdown(post.body)` → markdown, post). Keywords,
 * strings and member names after a dot are left out.
 */
export function rootNames(expr: string): string[] {
  const out: string[] = [];
  const stripped = expr.replace(/"[^"\n]{0,400}"|'[^'\n]{0,400}'/g, '""');
  const ID = /[A-Za-z_$][\w$]{0,100}/g;
  for (let m; (m = ID.exec(stripped));) {
    const before = stripped[m.index - 1];
    if (before === '.' || before === '@' && m.index > 1 && stripped[m.index - 2] === '.') continue;
    if (/^\d/.test(m[0])) continue;
    out.push(m[0]);
  }
  return out;
}
