import type { Node } from 'web-tree-sitter';
import { decoratorsOf, dottedName, enclosingFunction, positionalArgs, stringValue } from '../ast';
import { ensureImportEdit, pyFix } from '../fixes';
import { definePythonRule, type PyRuleContext } from '../rule';
import { isGeneric, isReplayNonce, isSecretName, NOT_SECRET, onlyWeakWords, SECRET_WORDS } from '../../util/secret-names';
import { nameWords } from '../../util/name-words';
import { PY_TEST_PATH } from '../../util/paths';

/** The `random` functions (and `random.Random` methods) that return or arrange values. */
const METHODS = new Set(['random', 'randint', 'randrange', 'choice', 'choices', 'sample', 'getrandbits', 'shuffle', 'uniform', 'randbytes']);
/** Calls whose argument is a delay, a count or a log line, not a value that is kept. */
const NON_SECRET_CALLS = new Set(['sleep', 'wait', 'delay', 'range', 'seed', 'print', 'debug', 'info', 'warning', 'warn', 'error',
  'exception', 'critical', 'log', 'call_later', 'call_at', 'sleep_for', 'timeout', 'countdown', 'apply_async', 'settimeout',
  'set_timeout', 'expire', 'expireat', 'setex', 'enumerate', 'len', 'time', 'timedelta']);
/** Methods that add a value to a collection: `password_chars.append(random.choice(…))` builds `password_chars`. */
const COLLECT = new Set(['append', 'extend', 'add', 'insert']);
/** Cookie names that carry a session or a secret. */
const SECRET_COOKIE = /sess|sid|token|auth|csrf|xsrf|secret|remember|jwt|login/i;
/** Routes whose handlers make secrets: a generic `code = random.randint(…)` there is a login or reset code. */
const SECRET_ROUTE = /login|signin|sign-in|session|reset|forgot|verify|verification|invite|otp|token|magic|2fa|mfa|\/auth\b/i;
/** Words that make `tokens` language-model or parser tokens: `max_tokens`, `num_tokens`, `prompt_tokens`, `token_ids`. */
const TOKEN_COUNT = new Set(['max', 'min', 'num', 'n', 'total', 'prompt', 'input', 'output', 'completion', 'llm', 'vocab', 'word',
  'words', 'sentence', 'text', 'lexer', 'parser', 'special', 'bos', 'eos', 'pad', 'unk', 'mask', 'ids', 'embedding', 'embeddings',
  'context', 'per']);
/** Generic names whose meaning comes from the function or class around them: `code` in `send_verification_email`. */
const QUALIFIED_BY_CONTEXT = new Set(['code', 'key', 'id', 'link', 'url', 'pin']);

/** Words of page elements: `tab_token` names a browser tab for the page's own scripts, not a credential. */
const UI_WORDS = new Set(['tab', 'tabs', 'widget', 'element', 'elem', 'dom', 'div', 'modal', 'dialog', 'component', 'panel',
  'css', 'html', 'anchor', 'tooltip', 'button', 'btn', 'placeholder']);

/** Words that make a name a number about a secret: `token_count_estimate`, `password_length_hint`. */
const MEASURES = new Set(['count', 'counts', 'length', 'len', 'size', 'limit', 'max', 'min', 'num', 'ttl', 'expiry', 'timeout', 'delay']);

/** Calls a followed variable goes through: text built from it. */
const BUILD_CALLS = new Set(['join', 'str', 'format', 'encode', 'decode', 'upper', 'lower', 'hex', 'bytes', 'bytearray', 'hexdigest',
  'b64encode', 'urlsafe_b64encode', 'b32encode', 'hexlify']);
/** Numbers from `random` become a secret's text only through these: `str(random.randint(…))`, `hashlib.sha256(…)`. */
const NUMBER_TO_TEXT = new Set([...BUILD_CALLS, 'chr', 'int', 'float', 'abs', 'bin', 'oct', 'zfill', 'rjust', 'ljust', 'to_bytes',
  'pack', 'md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'blake2b', 'blake2s', 'new', 'urandom']);
const NUMERIC = /(^|\.)(randint|randrange|uniform|random|getrandbits)$/;

/** Authentication tickets (CAS, Kerberos): `_gen_ticket`, `service_ticket`; not support, raffle or event tickets. */
const NOT_TICKET = new Set(['support', 'helpdesk', 'bug', 'jira', 'event', 'concert', 'lottery', 'raffle',
  'price', 'number', 'num', 'no', 'queue', 'status', 'category', 'priority', 'title', 'comment', 'comments']);

/** A secret name, without language-model and parser tokens (`max_tokens`, `token_ids`) or page elements (`tab_token`). */
function pySecretName(name: string): boolean {
  const words = nameWords(name);
  // a measure of a secret, not the secret: `token_count_estimate`, `max_password_len`
  if (words.some((w) => MEASURES.has(w))) return false;
  if (!isSecretName(name)) {
    return words.some((w) => w === 'ticket' || w === 'tickets') && !NOT_SECRET.has(words[words.length - 1]) && !words.some((w) => NOT_TICKET.has(w));
  }
  if (words.some((w) => UI_WORDS.has(w))) return false;
  const onlyToken = words.some((w) => w === 'token' || w === 'tokens') && !words.some((w) => SECRET_WORDS.has(w) && w !== 'token' && w !== 'tokens');
  if (onlyToken && words.some((w) => TOKEN_COUNT.has(w))) return false;
  return true;
}

interface Verdict { name: string; via: 'name' | 'function' | 'cookie' | 'caller' | 'route'; node?: Node; scope?: Node }
type Judged = Verdict | 'helper' | undefined;

function functionName(fn: Node | undefined): string | undefined {
  return fn?.childForFieldName('name')?.text;
}

function enclosingClass(n: Node): Node | undefined {
  for (let p = n.parent; p; p = p.parent) {
    if (p.type === 'function_definition') return undefined;
    if (p.type === 'class_definition') return p;
  }
  return undefined;
}

/** The statement holding a node (one finding per statement: `random.choice(a) + random.choice(b)` is one problem). */
function statementOf(n: Node): Node {
  let s = n;
  while (s.parent && s.parent.type !== 'block' && s.parent.type !== 'module') s = s.parent;
  return s;
}

/** The name an assignment target stands for: `token`, `user.reset_token` → `reset_token`, `data["api_key"]`, `codes[email]` → `codes`. */
function targetName(left: Node | null | undefined): string | undefined {
  if (!left) return undefined;
  if (left.type === 'identifier') return left.text;
  if (left.type === 'attribute') return left.childForFieldName('attribute')?.text;
  if (left.type === 'subscript') {
    const key = stringValue(left.childForFieldName('subscript'));
    if (key !== undefined) return key;
    return targetName(left.childForFieldName('value'));
  }
  return undefined;
}

export default definePythonRule({
  id: 'insecure-randomness',
  docs: {
    description: 'In Python, finds values from the `random` module (`random.choice`, `randint`, `choices`, `sample`, `getrandbits`…, a `random.Random()` instance; not `random.SystemRandom()` nor `secrets`) used to make a token, password, reset or verification code, OTP, session id, API key, nonce, salt or invite code, judged from the variable, attribute, dict key or keyword it is stored in, the function that returns it (`def generate_token()`), or the cookie it is sent in. Jitter and backoff (`time.sleep(random.uniform(…))`), shuffles, sampling, simulations, games, load balancing and `max_tokens`-style names are not reported; test files are low confidence.',
    bad: '# file: accounts.py\nimport random\nimport string\n\ndef make_reset_token():\n    return "".join(random.choice(string.ascii_letters + string.digits) for _ in range(32))\n',
    good: '# file: accounts.py\nimport random\nimport secrets\nimport time\n\ndef make_reset_token():\n    return secrets.token_urlsafe(32)\n\ndef backoff(attempt):\n    time.sleep(2 ** attempt + random.uniform(0, 1))\n',
  },
  create(ctx: PyRuleContext) {
    const testFile = PY_TEST_PATH.test(ctx.path);
    const reported = new Set<string>();
    /** helper functions that return `random` values under a generic name (`random_string`): function node → the random call */
    const helpers = new Map<number, { fn: Node; call: Node }>();

    let assignedNames: Set<string> | undefined;
    let rngNames: Set<string> | undefined;
    /** Names the file assigns (`random = random.SystemRandom()` rebinds the module) and `random.Random()` instances. */
    const scanAssignments = () => {
      if (assignedNames) return;
      assignedNames = new Set();
      rngNames = new Set();
      for (const a of ctx.root.descendantsOfType('assignment')) {
        const left = a?.childForFieldName('left');
        const right = a?.childForFieldName('right');
        if (!a || !left) continue;
        if (left.type === 'identifier') assignedNames.add(left.text);
        if (right?.type === 'call' && ctx.facts.qualify(right.childForFieldName('function')) === 'random.Random') rngNames.add(left.text);
      }
    };

    /** `random.choice(…)`, `from random import choice` → `choice(…)`, `rng.choice(…)` on a `random.Random()`: the label to show. */
    const randomCall = (call: Node): string | undefined => {
      const fn = call.childForFieldName('function');
      if (!fn) return undefined;
      const dotted = dottedName(fn);
      if (dotted) {
        const first = dotted.split('.')[0];
        const q = ctx.facts.qualify(fn);
        const imported = ctx.facts.imports.get(first);
        if (q && imported && (imported === 'random' || imported.startsWith('random.')) && /^random\.\w+$/.test(q) && METHODS.has(q.slice(7))) {
          scanAssignments();
          // `random = random.SystemRandom()` (older Django) or a local `choice = …`: not the module's generator
          if (assignedNames!.has(first)) return undefined;
          return `${q}()`;
        }
      }
      if (fn.type !== 'attribute') return undefined;
      const method = fn.childForFieldName('attribute')?.text ?? '';
      if (!METHODS.has(method)) return undefined;
      const obj = fn.childForFieldName('object');
      if (!obj) return undefined;
      if (obj.type === 'call' && ctx.facts.qualify(obj.childForFieldName('function')) === 'random.Random') return `random.Random().${method}()`;
      if (obj.type === 'identifier' || obj.type === 'attribute') {
        scanAssignments();
        if (rngNames!.has(obj.text)) return `${obj.text}.${method}()`;
      }
      return undefined;
    };

    const named = (name: string | undefined): Verdict | 'generic' | undefined => {
      if (!name) return undefined;
      if (pySecretName(name)) return { name, via: 'name' };
      if (isGeneric(name) || name === 'pin') return 'generic';
      return undefined;
    };

    /**
     * A generic local (`code = …`) takes its meaning from the function around it (`def generate_otp()`,
     * `def send_verification_email()` for a `code`), its class (`class Invite: code = …`) or its route
     * (`@app.post("/forgot")`). In a generically named helper (`random_string`) the call sites decide.
     */
    const contextual = (at: Node, varName: string | undefined): Judged => {
      const fn = enclosingFunction(at);
      const cls = enclosingClass(fn ?? at);
      const fname = functionName(fn) ?? cls?.childForFieldName('name')?.text;
      if (!fname) return undefined;
      const scope = fn ?? cls;
      if (pySecretName(fname)) return { name: fname, via: 'function', scope };
      const v = varName?.toLowerCase();
      if (v && QUALIFIED_BY_CONTEXT.has(v)) {
        // `code` in `send_verification_email`, `key` in `ApiCredential.save`
        if (fn && pySecretName(`${fname}_${v === 'pin' ? 'code' : v}`)) return { name: fname, via: 'function', scope };
        const cname = cls?.childForFieldName('name')?.text;
        if (cname && pySecretName(`${cname}_${v === 'pin' ? 'code' : v}`)) return { name: `${cname}.${varName}`, via: 'name' };
      }
      if (fn) {
        for (const d of decoratorsOf(fn)) {
          if (d.type !== 'call') continue;
          const route = stringValue(positionalArgs(d)[0]);
          if (route && route.startsWith('/') && SECRET_ROUTE.test(route)) return { name: route, via: 'route', scope };
        }
      }
      if (fn && (isGeneric(fname) || /random|string|id$/i.test(fname))) return 'helper';
      return undefined;
    };

    const cookieVerdict = (call: Node, cname: string | undefined): Judged => {
      if (cname && SECRET_COOKIE.test(cname)) return { name: cname, via: 'cookie' };
      return undefined;
    };

    /** Walks up from a value built from `random` to the name, function or cookie it ends up in. */
    const judge = (start: Node, followed = false): Judged => {
      let n: Node = start;
      // random.shuffle(chars) arranges `chars` in place: the list's name decides
      if (start.type === 'call' && /(^|\.)shuffle$/.test(start.childForFieldName('function')?.text ?? '')) {
        const target = positionalArgs(start)[0];
        const v = named(targetName(target));
        return v === 'generic' ? contextual(start, targetName(target)) : v;
      }
      const numeric = start.type === 'call' && NUMERIC.test(start.childForFieldName('function')?.text ?? '');
      for (let step = 0; step < 30; step++) {
        const p = n.parent;
        if (!p) return undefined;
        switch (p.type) {
          case 'parenthesized_expression': case 'await': case 'list': case 'tuple': case 'set': case 'expression_list':
          case 'interpolation': case 'string': case 'concatenated_string': case 'unary_operator': case 'binary_operator':
          case 'subscript': case 'boolean_operator': case 'format_specifier': case 'lambda':
            n = p; continue;
          case 'attribute':
            n = p; continue; // random.random().hex(), ….upper()
          case 'list_comprehension': case 'generator_expression': case 'set_comprehension':
            if (p.childForFieldName('body')?.id !== n.id) return undefined; // `for _ in range(random.randint(…))`: a count
            if (p.type === 'generator_expression' && p.parent?.type === 'call') { n = p; continue; }
            n = p; continue;
          case 'conditional_expression':
            if (p.namedChildren[1]?.id === n.id) return undefined;
            n = p; continue;
          case 'argument_list': case 'call': {
            const call = p.type === 'call' ? p : p.parent;
            if (!call || call.type !== 'call') return undefined;
            const fn = call.childForFieldName('function');
            if (fn && fn.id === n.id) { n = call; continue; } // random.choice(…).upper()
            const last = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.text;
            if (!last || NON_SECRET_CALLS.has(last)) return undefined;
            if (last === 'set_cookie' || last === 'set_signed_cookie') {
              const args = positionalArgs(call);
              return args[1]?.id === n.id ? cookieVerdict(call, stringValue(args[0])) : undefined;
            }
            if (COLLECT.has(last) && fn?.type === 'attribute') {
              const target = fn.childForFieldName('object');
              const v = named(targetName(target));
              return v === 'generic' ? contextual(call, targetName(target)) : v;
            }
            // a followed variable goes on only through calls that build text from it (`"%s-%s" % (prefix, part)`, "".join(chars))
            if (followed && !BUILD_CALLS.has(last)) return undefined;
            // `generate_password(random.randint(12, 16))`: a number handed to a function is a length or a count
            if (numeric && !NUMBER_TO_TEXT.has(last)) return undefined;
            n = call; continue; // str(…), "".join(…), hashlib.sha256(…), "{}".format(…)
          }
          case 'keyword_argument': {
            if (p.childForFieldName('value')?.id !== n.id) return undefined;
            const kw = p.childForFieldName('name')?.text;
            const call = p.parent?.parent;
            if (kw === 'value' && call?.type === 'call' && /set_cookie$/.test(call.childForFieldName('function')?.text ?? '')) {
              const key = call.childForFieldName('arguments')?.namedChildren.find((c) => c?.type === 'keyword_argument' && c.childForFieldName('name')?.text === 'key');
              return cookieVerdict(call, stringValue(key?.childForFieldName('value')) ?? stringValue(positionalArgs(call)[0]));
            }
            if (kw && /^(delay|countdown|timeout|sleep|jitter|backoff|wait|retry_after|expires|max_age|k|weights|seed)$/.test(kw)) return undefined;
            const v = named(kw);
            if (v && v !== 'generic') return v;
            if (v === 'generic' && call?.type === 'call') { n = call; continue; } // Invite(code=…) → the invite it makes
            return undefined;
          }
          case 'pair': {
            if (p.childForFieldName('value')?.id !== n.id) return undefined;
            const v = named(stringValue(p.childForFieldName('key')));
            if (v && v !== 'generic') return v;
            if (v === 'generic' && p.parent) { n = p.parent; continue; }
            return undefined;
          }
          case 'dictionary':
            n = p; continue;
          case 'assignment': case 'augmented_assignment': {
            if (p.childForFieldName('right')?.id !== n.id) return undefined;
            const left = p.childForFieldName('left');
            const name = targetName(left);
            const v = named(name);
            const r = v === 'generic' ? contextual(p, name) : v;
            if (r || followed || left?.type !== 'identifier') return r;
            return follow(left, p);
          }
          case 'return_statement': {
            const fn = enclosingFunction(p);
            const fname = functionName(fn);
            if (!fn || !fname) return undefined;
            if (pySecretName(fname)) return { name: fname, via: 'function', scope: fn };
            if (isGeneric(fname) || /random|string|id$/i.test(fname)) return 'helper';
            return undefined;
          }
          default:
            return undefined;
        }
      }
      return undefined;
    };

    /**
     * A local with a neutral name (`random_part = "".join(random.choice(…) …)`) is judged by where it goes next in
     * its function: `return "%s-%s" % (prefix, random_part)` in `_gen_ticket`, `password = "".join(chars)`.
     */
    const follow = (id: Node, assignment: Node): Judged => {
      const fn = enclosingFunction(assignment);
      if (!fn) return undefined;
      let helper = false;
      for (const use of fn.descendantsOfType('identifier')) {
        if (!use || use.text !== id.text || use.startIndex < assignment.endIndex || enclosingFunction(use)?.id !== fn.id) continue;
        if (use.parent?.type === 'attribute' && use.parent.childForFieldName('attribute')?.id === use.id) continue;
        if (use.parent?.type === 'keyword_argument' && use.parent.childForFieldName('name')?.id === use.id) continue;
        const v = judge(use, true);
        if (v === 'helper') helper = true;
        else if (v) return v;
      }
      return helper ? 'helper' : undefined;
    };

    /** The suggested change: the `secrets` module for every `random` call in the statement (when they are all the module's). */
    const fixesFor = (stmt: Node) => {
      const edits: { start: number; end: number; newText: string }[] = [];
      const calls = stmt.type === 'call' ? [stmt] : [];
      for (const c of stmt.descendantsOfType('call')) if (c) calls.push(c);
      for (const c of calls) {
        const label = randomCall(c);
        if (!label) continue;
        const fn = c.childForFieldName('function')!;
        const q = ctx.facts.qualify(fn) ?? '';
        if (!q.startsWith('random.') || label.startsWith('random.Random')) return undefined;
        const method = q.slice(7);
        if (method === 'shuffle') return undefined; // in place: SystemRandom().shuffle would do, but the list's later use is what matters
        edits.push({ start: fn.startIndex, end: fn.endIndex, newText: method === 'choice' ? 'secrets.choice' : method === 'getrandbits' ? 'secrets.randbits' : `secrets.SystemRandom().${method}` });
      }
      if (!edits.length) return undefined;
      const imp = ensureImportEdit(ctx.root, ctx.text, 'secrets');
      return [pyFix(ctx.path, 'Use the secrets module (a cryptographic generator)', [...(imp ? [imp] : []), ...edits],
        'Code that seeds random to get repeatable values (tests, fixtures) no longer gets the same values.')];
    };

    const report = (call: Node, label: string, v: Verdict) => {
      const stmt = statementOf(call);
      // one finding per statement, and one per function when the function's name is what makes it a secret
      const scope = enclosingFunction(call);
      const key = v.via === 'function' && v.scope ? `f${v.scope.id}` : v.via === 'name' ? `n${scope?.id ?? 0}:${v.name}` : `s${stmt.id}`;
      if (reported.has(key) || reported.has(`s${stmt.id}`)) return;
      reported.add(key);
      reported.add(`s${stmt.id}`);
      const where = v.via === 'name' ? `to make \`${v.name}\``
        : v.via === 'function' ? `in \`${v.name}()\``
        : v.via === 'cookie' ? `for the \`${v.name}\` cookie`
        : v.via === 'route' ? `to make a value in the \`${v.name}\` handler`
        : `by a helper whose result becomes \`${v.name}\``;
      let confidence: 'low' | 'medium' = testFile ? 'low' : 'medium';
      // a fallback for systems without os.urandom: the main path is secure
      if (scope && /\b(SystemRandom|secrets\.|urandom)\b/.test(scope.text)) confidence = 'low';
      // `session_id` alone is also a chat, analytics or worker session: only in request handling is it a login session
      if (v.via !== 'cookie' && onlyWeakWords(v.name) && !ctx.taint.inHandler(v.node ?? call)) confidence = 'low';
      if (isReplayNonce(v.name) || /captcha/i.test(v.name)) confidence = 'low';
      ctx.report({
        node: call, confidence,
        message: `\`${label}\` is used ${where}, but Python's \`random\` module is not made for secrets: its output is predictable (an attacker who sees enough values can compute the next ones), so this value can be guessed. Use the \`secrets\` module: \`secrets.token_urlsafe(32)\` for tokens, \`secrets.choice()\` to pick characters, \`secrets.randbelow()\` for numeric codes.`,
        related: v.node && v.via === 'caller' ? [{ node: v.node, message: `The helper's result is used as \`${v.name}\` here.` }] : undefined,
        fixes: fixesFor(stmt),
      });
    };

    const visit = (call: Node) => {
      const label = randomCall(call);
      if (!label) return;
      const v = judge(call);
      if (v === 'helper') {
        const fn = enclosingFunction(call);
        if (fn && !helpers.has(fn.id)) helpers.set(fn.id, { fn, call });
        return;
      }
      if (v) report(call, label, v);
    };

    const calls: Record<string, (n: Node) => void> = {};
    for (const m of METHODS) calls[m] = visit;
    return {
      calls,
      onFileEnd() {
        if (!helpers.size) return;
        // call sites of generic helpers: `reset_token = random_string(32)`, and `default=random_code` in a model field
        const byName = new Map<string, { fn: Node; call: Node }>();
        for (const h of helpers.values()) { const name = functionName(h.fn); if (name) byName.set(name, h); }
        const site = (n: Node, name: string) => {
          const h = byName.get(name);
          if (!h) return;
          const v = judge(n);
          if (v && v !== 'helper') report(h.call, randomCall(h.call) ?? 'random', { name: v.name, via: 'caller', node: n });
        };
        for (const c of ctx.root.descendantsOfType(['call', 'keyword_argument'])) {
          if (!c) continue;
          if (c.type === 'call') {
            const fn = c.childForFieldName('function');
            const name = fn?.type === 'identifier' ? fn.text : fn?.type === 'attribute' && /^(self|cls)$/.test(fn.childForFieldName('object')?.text ?? '') ? fn.childForFieldName('attribute')?.text : undefined;
            if (name) site(c, name);
          } else {
            const value = c.childForFieldName('value');
            if (value?.type === 'identifier' && c.childForFieldName('name')?.text === 'default') site(value, value.text);
          }
        }
      },
    };
  },
});
