import type { Node } from 'web-tree-sitter';
import type { Confidence } from '../../model/types';
import { conversationFile, ENV_PUBLIC, ENV_SECRET, isLoggedSecretName, isSessionIdName, SENSITIVE_HEADERS } from '../../util/log-secrets';
import { nameWords } from '../../util/name-words';
import { assignedValues, decoratorsOf, enclosingFunction, keywordArg, paramsOf, positionalArgs, stringValue } from '../ast';
import { definePythonRule } from '../rule';

/** The methods of `logging`, of a `logging.Logger` and of structlog / loguru loggers that write a line. */
const LOG_METHODS = new Set(['debug', 'info', 'warning', 'warn', 'error', 'exception', 'critical', 'fatal', 'log', 'msg', 'trace', 'success']);
/** Receivers that are loggers: `logger`, `log`, `LOG`, `_logger`, `app.logger`, `self.log`, `audit_logger`. */
const LOGGER_NAME = /^_*(logger|log|logging|LOG|LOGGER|Logger)$|_(logger|log|LOGGER|LOG)$/;
/** Tests, fixtures and examples: low. */
const TEST_PATH = /(^|\/)(tests?|testing|fixtures?|mocks?)\/|(^|\/)(test_[^/]*|[^/]*_tests?|tests?|conftest)\.py$/;
/** Command-line programs, whose `print` is the program's answer to its operator. */
const CLI_PATH = /(^|\/)(bin|scripts?|tools|cli|commands|management)\/|(^|\/)(manage|cli|__main__|setup)\.py$/;
/** The log line says the value is invalid: `bad token`, `unknown session`, `expired key`. */
const INVALID_VALUE_WORDS = /\b(bad|invalid|invalidat(?:ed|ing)|unknown|expired|revoked|removed|deleted|culled|malformed|stale|not found|does not exist|doesn't exist|no such)\b/i;
/** The whole of a request's credentials-carrying parts: Flask, Django, DRF, Starlette, WSGI, webob. */
const WHOLE_PARTS = new Set(['form', 'json', 'headers', 'cookies', 'COOKIES', 'POST', 'data', 'body', 'META', 'environ', 'values']);
/** What a masked value is replaced with: `"REDACTED"`, `"***"`, `"<hidden>"`, `"xxxx"`. */
const REDACTED = /redact|\*{3}|x{4}|hidden|masked|removed|omitted|censored|scrubbed|filtered/i;
/** Calls that give back their input as text or a copy (`str(token)`, `json.dumps(request.form)`, `dict(request.headers)`). */
const PASS_FUNCTIONS = /^(str|repr|dict|list|tuple|json\.dumps|pformat|pprint\.pformat|simplejson\.dumps|format)$/;
const PASS_METHODS = new Set(['strip', 'lstrip', 'rstrip', 'lower', 'upper', 'decode', 'encode', 'to_dict', 'dict', 'model_dump', 'copy', 'items', 'get_json', 'json', 'form', 'body', 'replace', 'get_secret_value']);
/** Calls that make a value the user generates for themselves: `secrets.token_urlsafe()`, `Token.objects.create(…)`, `generate_api_key()`. */
const GENERATED = /^(secrets\.|uuid\.|os\.urandom|binascii\.hexlify|base64\.)|(^|\.|_)(generate|gen|create|make|new|issue|random|token_urlsafe|token_hex|get_random_string|get_or_create)/i;

/** `said`: the fixed text of a message the value was put into before the log line (`msg = "… {session_id} …".format(…)`) */
interface Hit { what: string; node: Node; kind?: 'whole' | 'env'; weak?: boolean; said?: string }

/** The words a header or key name is made of, `HTTP_X_API_KEY` → `x-api-key`. */
function headerName(key: string): string {
  return key.replace(/^HTTP_/, '').replace(/_/g, '-');
}

/** Session cookies by their usual names (Django's `sessionid`, PHP's `PHPSESSID`, `csrftoken`). */
const SESSION_COOKIE = /^(sessionid|sessid|phpsessid|jsessionid|csrftoken|session)$/i;
/** Last words that make a setting's name about a secret, not the secret: `PASSWORD_RESET_TIMEOUT`, `password_file`. */
const ABOUT_SECRET = new Set(['timeout', 'seconds', 'days', 'hours', 'minutes', 'attempts', 'retries', 'interval', 'duration', 'backend',
  'backends', 'class', 'validators', 'validator', 'file', 'dir', 'template', 'form', 'view', 'subject', 'email', 'widget', 'label',
  // Barbican's `secret_ref`/`secret_href`: the URL of a stored secret; PKCS#11 `token_labels`; `password_regex`
  'ref', 'refs', 'href', 'hrefs', 'reference', 'labels', 'regex', 'pattern', 'description', 'requirements', 'rules', 'history', 'meta', 'metadata']);

/** A secret by its name (shared with the JavaScript rule), unless its last word makes it about a secret. */
function secretName(name: string): boolean {
  const w = nameWords(name);
  return isLoggedSecretName(name) && !ABOUT_SECRET.has(w[w.length - 1]);
}

function secretKey(key: string): boolean {
  return SENSITIVE_HEADERS.test(headerName(key)) || secretName(key) || SESSION_COOKIE.test(key);
}

/** Modules that split text into tokens: parsers, lexers, the tokenizers of language models. */
const LEXER_MODULES = ['tokenize', 'shlex', 'pygments', 'ply', 'lark', 'nltk', 'spacy', 'tiktoken', 'transformers', 'tokenizers',
  'sentencepiece', 'jieba', 'sqlparse', 'lib2to3', 'parso', 'pyparsing'];
/** Calls that make parser or tokenizer tokens: `tokenizer.encode(text)`, `tokenize(src)`, `lexer.get_tokens(…)`, `text.split()`. */
const LEXER_CALL = /tokeni[sz]|lexer|\blex\(|get_tokens|\.split\(|\.encode\(|word_tokenize|\.parse\(/i;

/** `token`, `tokens`, `next_token`: words about tokens and nothing else secret (not `auth_token`, `token_secret`). */
function onlyTokenWords(name: string): boolean {
  const w = nameWords(name);
  return w.some((x) => x === 'token' || x === 'tokens') && !w.some((x) => /^(auth|access|refresh|api|bearer|csrf|xsrf|session|secret|reset|verification|verify|jwt|oauth|id|login|signup|invite|confirm|confirmation|activation|magic|device|push|fcm|apns|bot|github|slack|stripe)$/.test(x));
}

/**
 * A key or header name for a message: `the "password" value`, `the Authorization header`; a long key in words
 * (`stripe webhook secret`), so that messages never repeat a long literal of the line.
 */
function keyLabel(key: string): string {
  if (/^HTTP_/.test(key)) return `the ${headerName(key).toLowerCase().replace(/(^|-)([a-z])/g, (_m, d: string, c: string) => d + c.toUpperCase())} header`;
  return key.length < 16 ? `the "${key}" value` : `the ${nameWords(key).join(' ')} value`;
}

function envLabel(name: string): string {
  return `the environment variable ${name.length < 16 ? `\`${name}\`` : nameWords(name).join('_').toUpperCase().replace(/_/g, ' ')}`;
}

/** `key` alone: an API key sometimes, but as often a cache key, a dict key or a setting's name (low). */
function loneKey(name: string): boolean {
  const w = nameWords(name);
  return w.length === 1 && w[0] === 'key';
}

function short(t: string): string {
  const s = t.replace(/\s+/g, ' ');
  return s.length > 40 ? s.slice(0, 37) + '…' : s;
}

export default definePythonRule({
  id: 'sensitive-data-in-log',
  docs: {
    description: 'In Python, finds `logging`, `logger`/`log`/`LOG`/`app.logger` calls and `print(…)` in request handlers that write a password, token, API key, secret, card number, session cookie or `Authorization` header — in an f-string, a `%s` or `.format(…)` argument, a `+` concatenation or `extra={…}` — or a whole `request.form`/`request.json`/`request.headers`/`request.cookies`/`request.POST`/`request.META`. The words in the fixed text, lengths, booleans (`bool(token)`, `has_password`), token counts (`max_tokens`), ids (`token_id`), masked (`token[-4:]`, `mask(…)`, a dict whose secret values were replaced by `"REDACTED"`) and hashed values, database records (`orm_token`) and names only ever assigned numbers (`COOKIE_SECRET_BYTES = 32`) are not reported; `print` outside request handlers, test files and values logged because they are invalid are low; a command-line program printing a key it has just generated for its operator is not reported.',
    bad: '# file: app.py\nimport logging\n\nfrom flask import Flask, request\n\napp = Flask(__name__)\nlogger = logging.getLogger(__name__)\n\n@app.post("/login")\ndef login():\n    logger.info("login attempt: %s", request.form)\n    user = authenticate(request.form["email"], request.form["password"])\n    return {"ok": user is not None}\n',
    good: '# file: app.py\nimport logging\n\nfrom flask import Flask, request\n\napp = Flask(__name__)\nlogger = logging.getLogger(__name__)\n\n@app.post("/login")\ndef login():\n    logger.info("login attempt for %s", request.form.get("email"))\n    user = authenticate(request.form["email"], request.form["password"])\n    return {"ok": user is not None}\n',
  },
  create(ctx) {
    const testFile = TEST_PATH.test(ctx.path.replace(/\\/g, '/'));
    const cliPath = CLI_PATH.test(ctx.path.replace(/\\/g, '/'));
    const cliModules = ['argparse', 'click', 'typer', 'optparse', 'docopt', 'fire'].some((m) => ctx.facts.modules.has(m));
    const lexerFile = LEXER_MODULES.some((m) => ctx.facts.modules.has(m));
    const webFile = ctx.facts.flask || ctx.facts.django || ctx.facts.fastapi;

    /** `request`, `req`, `self.request`, Flask's imported `request`: the object a handler reads the request from. */
    const isRequestObject = (n: Node | null | undefined): boolean => {
      if (!n) return false;
      if (n.type === 'identifier') {
        const q = ctx.facts.imports.get(n.text);
        return q === 'flask.request' || q === 'bottle.request' || (q === undefined && /^(request|req|http_request)$/.test(n.text));
      }
      return n.type === 'attribute' && n.childForFieldName('object')?.text === 'self' && n.childForFieldName('attribute')?.text === 'request';
    };

    /** `request.form`, `request.headers`, `await request.json()`, `request.get_json()`: a whole request part. */
    const requestWhole = (e: Node): string | undefined => {
      if (e.type === 'attribute' && WHOLE_PARTS.has(e.childForFieldName('attribute')?.text ?? '') && isRequestObject(e.childForFieldName('object'))) return e.text;
      if (e.type === 'await') return e.namedChildren[0] ? requestWhole(e.namedChildren[0]) : undefined;
      if (e.type === 'call') {
        const fn = e.childForFieldName('function');
        if (fn?.type === 'attribute' && /^(get_json|json|form|body)$/.test(fn.childForFieldName('attribute')?.text ?? '') && isRequestObject(fn.childForFieldName('object'))) return e.text;
      }
      return undefined;
    };

    const inspect = (expr: Node | null | undefined, depth: number): Hit | undefined => {
      if (!expr || depth > 8) return undefined;
      const e = expr;
      switch (e.type) {
        case 'parenthesized_expression': case 'await':
          return inspect(e.namedChildren[0], depth + 1);
        case 'string': case 'concatenated_string': {
          const parts = e.type === 'string' ? [e] : e.namedChildren.filter((c): c is Node => !!c);
          for (const p of parts) {
            for (const c of p.namedChildren) {
              if (c?.type !== 'interpolation') continue;
              const h = inspect(c.childForFieldName('expression') ?? c.namedChildren[0], depth + 1);
              if (h) return h;
            }
          }
          return undefined;
        }
        case 'binary_operator': {
          const op = e.childForFieldName('operator')?.text;
          const left = e.childForFieldName('left'), right = e.childForFieldName('right');
          // `"… %s" % token`, `msg % {"token": token}`: the values formatted into the text
          if (op === '%' && left && left.type !== 'integer' && left.type !== 'float') return inspect(right, depth + 1);
          if (op === '+') return inspect(left, depth + 1) ?? inspect(right, depth + 1);
          return undefined;
        }
        case 'boolean_operator':
          // `token or "-"` may be the token; `token and "set"` is "set" (or a falsy token)
          if (e.childForFieldName('operator')?.text === 'and') return inspect(e.childForFieldName('right'), depth + 1);
          return inspect(e.childForFieldName('left'), depth + 1) ?? inspect(e.childForFieldName('right'), depth + 1);
        case 'conditional_expression':
          return inspect(e.namedChildren[0], depth + 1) ?? inspect(e.namedChildren[2], depth + 1);
        case 'tuple': case 'list': case 'set': case 'expression_list': {
          for (const c of e.namedChildren) {
            const h = inspect(c, depth + 1);
            if (h) return h;
          }
          return undefined;
        }
        case 'dictionary': {
          let weak: Hit | undefined;
          for (const p of e.namedChildren) {
            let h: Hit | undefined;
            if (p?.type === 'pair') {
              const key = stringValue(p.childForFieldName('key'));
              const v = p.childForFieldName('value');
              h = key && secretKey(key) && v && carriesValue(v) && !(v.type === 'identifier' && scrubbed(v)) ? { what: keyLabel(key), node: p } : inspect(v, depth + 1);
            } else if (p?.type === 'dictionary_splat') h = inspect(p.namedChildren[0], depth + 1);
            if (h && !h.weak) return h;
            weak ??= h;
          }
          return weak;
        }
        case 'identifier': {
          if (scrubbed(e) || lexerToken(e)) return undefined;
          if (secretName(e.text)) {
            // `orm_token`: a database record (its repr is the model's); `COOKIE_SECRET_BYTES = 32`: a size
            if (nameWords(e.text)[0] === 'orm' || numberConstant(e.text)) return undefined;
            return { what: `\`${e.text}\``, node: e, weak: sessionOfConversation(e.text) };
          }
          if (loneKey(e.text)) return { what: `\`${e.text}\``, node: e, weak: true };
          // a local that holds a whole request part, a request header or a message built from a secret
          if (depth > 4) return undefined;
          const writes = ctx.taint.writesBefore(e.text, e);
          const last = writes[writes.length - 1];
          if (!last || last.parent?.type !== 'assignment' || last.parent.childForFieldName('right')?.id !== last.id) return undefined;
          if (last.parent.childForFieldName('left')?.type !== 'identifier') return undefined;
          const h = inspect(last, depth + 2);
          const said = last.descendantsOfType('string_content').map((c) => c?.text ?? '').join(' ');
          return h ? { ...h, what: `\`${e.text}\` (${h.kind === 'whole' ? '' : 'which holds '}${h.what})`, node: e, said: `${h.said ?? ''} ${said}` } : undefined;
        }
        case 'attribute': {
          const whole = requestWhole(e);
          if (whole) return { what: `the whole request data \`${short(whole)}\``, node: e, kind: 'whole' };
          const attr = e.childForFieldName('attribute')?.text ?? '';
          if (secretName(attr) && !(lexerFile && onlyTokenWords(attr))) return { what: `\`${short(e.text)}\``, node: e, weak: sessionOfConversation(attr) };
          // DRF's `token.key`, Barbican's `secret.payload`, `password.value`: the value of a secret object
          const obj = e.childForFieldName('object');
          const secretOwner = () => {
            const owner = obj?.type === 'identifier' ? obj.text : obj?.type === 'attribute' ? obj.childForFieldName('attribute')?.text : undefined;
            return !!owner && secretName(owner);
          };
          if (loneKey(attr) && !/^(self|cls)$/.test(obj?.text ?? '')) {
            return secretOwner() ? { what: `\`${short(e.text)}\``, node: e } : { what: `\`${short(e.text)}\``, node: e, weak: true };
          }
          if (/^(payload|value|plaintext|raw|secret_value)$/.test(attr) && secretOwner()) return { what: `\`${short(e.text)}\``, node: e };
          return undefined;
        }
        case 'subscript': {
          const value = e.childForFieldName('value');
          const sub = e.childForFieldName('subscript');
          // token[-4:], key[:8]: a piece of the value, kept short on purpose
          if (!value || !sub || sub.type === 'slice') return undefined;
          const key = stringValue(sub);
          if (key === undefined) return undefined;
          if (isEnviron(value)) return ENV_SECRET.test(key) && !ENV_PUBLIC.test(key) ? { what: envLabel(key), node: e, kind: 'env' } : undefined;
          return secretKey(key) ? { what: `${keyLabel(key)} of \`${short(value.text)}\``, node: e } : undefined;
        }
        case 'call': {
          const fn = e.childForFieldName('function');
          const q = ctx.facts.qualify(fn) ?? '';
          const args = positionalArgs(e);
          // os.getenv("API_KEY"), os.environ.get("DB_PASSWORD")
          if (q === 'os.getenv' || q === 'os.environ.get' || (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'get' && isEnviron(fn.childForFieldName('object')))) {
            const name = stringValue(args[0]);
            return name && ENV_SECRET.test(name) && !ENV_PUBLIC.test(name) ? { what: envLabel(name), node: e, kind: 'env' } : undefined;
          }
          if (fn?.type === 'attribute') {
            const method = fn.childForFieldName('attribute')?.text ?? '';
            const recv = fn.childForFieldName('object');
            // request.headers.get("Authorization"), data.get("password"), request.COOKIES.get("sessionid")
            if ((method === 'get' || method === 'getlist' || method === 'pop') && args[0]) {
              const key = stringValue(args[0]);
              if (key && secretKey(key)) return { what: `${keyLabel(key)} of \`${short(recv?.text ?? '')}\``, node: e };
              return undefined;
            }
            if (method === 'format' && recv && stringValue(recv) !== undefined) {
              for (const a of e.childForFieldName('arguments')?.namedChildren ?? []) {
                if (!a) continue;
                const h = inspect(a.type === 'keyword_argument' ? a.childForFieldName('value') : a, depth + 1);
                if (h) return h;
              }
              return undefined;
            }
            const whole = requestWhole(e);
            if (whole) return { what: `the whole request data \`${short(whole)}\``, node: e, kind: 'whole' };
            if (PASS_METHODS.has(method) && !(method === 'replace' && args.length > 1 && /\*|x{3,}|redact|mask|hidden/i.test(args[1]?.text ?? ''))) return inspect(recv, depth + 1);
            if (!PASS_FUNCTIONS.test(q)) return undefined;
          } else if (!PASS_FUNCTIONS.test(q)) {
            // getattr(user, "password")
            if (q === 'getattr' && args[1]) {
              const key = stringValue(args[1]);
              return key && secretName(key) ? { what: `${keyLabel(key)} of \`${short(args[0].text)}\``, node: e } : undefined;
            }
            return undefined;
          }
          return inspect(args[0], depth + 1);
        }
      }
      return undefined;
    };

    /**
     * Tokens of a parser, a lexer or a language model's tokenizer: `tokens = tokenizer.encode(text)`,
     * `for token in shlex.split(cmd)`, any token in a file that imports `tokenize`, `tiktoken` or `nltk`.
     */
    const lexerToken = (id: Node): boolean => {
      if (!onlyTokenWords(id.text)) return false;
      if (lexerFile) return true;
      const writes = ctx.taint.writesBefore(id.text, id);
      const last = writes[writes.length - 1];
      return !!last && LEXER_CALL.test(last.text) && (last.type === 'call' || last.type === 'subscript' || last.type === 'attribute' || last.type === 'identifier');
    };

    /**
     * A dict whose secret was taken out before the log line: `credentials.pop("auth_token", None)`,
     * `del data["password"]` (Octavia's policy check logs the rest of the credentials).
     */
    const scrubbed = (id: Node): boolean => {
      const scope = enclosingFunction(id) ?? ctx.root;
      for (const n of scope.descendantsOfType(['call', 'delete_statement', 'assignment'])) {
        if (!n || n.startIndex >= id.startIndex) continue;
        if (n.type === 'assignment') {
          // `log_token[key] = "REDACTED"` (in a loop over the secret keys): the dict's values are masked
          const left = n.childForFieldName('left');
          if (left?.type === 'subscript' && left.childForFieldName('value')?.text === id.text && REDACTED.test(stringValue(n.childForFieldName('right')) ?? '')) {
            const key = stringValue(left.childForFieldName('subscript'));
            if (key === undefined || secretKey(key)) return true;
          }
          continue;
        }
        if (n.type === 'call') {
          const fn = n.childForFieldName('function');
          if (fn?.type !== 'attribute' || fn.childForFieldName('object')?.text !== id.text || fn.childForFieldName('attribute')?.text !== 'pop') continue;
          const key = stringValue(positionalArgs(n)[0]);
          if (key && secretKey(key)) return true;
        } else {
          for (const t of n.descendantsOfType('subscript')) {
            if (t?.childForFieldName('value')?.text === id.text && secretKey(stringValue(t.childForFieldName('subscript')) ?? '')) return true;
          }
        }
      }
      return false;
    };

    /** A name only ever assigned numbers in the file: `COOKIE_SECRET_BYTES = 32`, `TOKEN_LENGTH = (64)`. */
    const numberConstant = (name: string): boolean => {
      const values = assignedValues(ctx.root, name);
      return values.length > 0 && values.every((v) => !!v && ctx.taint.isNumeric(v));
    };

    const isEnviron = (n: Node | null | undefined): boolean => {
      const q = ctx.facts.qualify(n);
      return q === 'os.environ';
    };

    /** `session_id` in a file about chats or AI agents: the session of a conversation, not of a signed-in user. */
    const sessionOfConversation = (name: string): boolean => isSessionIdName(name) && conversationFile(ctx.path);

    /** Whether a value under a secret key is a real value: not a literal, a boolean, a number, a length or a mask. */
    const carriesValue = (v: Node): boolean => {
      if (stringValue(v) !== undefined || ['integer', 'float', 'true', 'false', 'none', 'comparison_operator', 'not_operator', 'unary_operator'].includes(v.type)) return false;
      if (v.type === 'call') {
        const name = (v.childForFieldName('function')?.text ?? '').split('.').pop() ?? '';
        if (/^(bool|len|int|float|mask\w*|redact\w*|hash\w*|sanitize\w*|censor\w*|obfuscate\w*|truncate\w*|hexdigest|isinstance|is_\w+)$/i.test(name)) return false;
      }
      if (v.type === 'conditional_expression') return carriesValue(v.namedChildren[0]!) || carriesValue(v.namedChildren[2]!);
      if (v.type === 'subscript' && v.childForFieldName('subscript')?.type === 'slice') return false;
      if (v.type === 'binary_operator') {
        // `token[:4] + "..."`: a masked value; `"Bearer " + token` still carries it
        const op = v.childForFieldName('operator')?.text;
        const l = v.childForFieldName('left'), r = v.childForFieldName('right');
        if (op === '+') return (!!l && carriesValue(l)) || (!!r && carriesValue(r));
        if (op === '%') return !!r && carriesValue(r);
        return false;
      }
      if (v.type === 'parenthesized_expression' && v.namedChildren[0]) return carriesValue(v.namedChildren[0]);
      return true;
    };

    /** Under `if __name__ == "__main__":`, in a click/typer command, or in a function of a command-line module. */
    const cliCode = (call: Node): boolean => {
      if (cliPath) return true;
      for (let p = call.parent; p; p = p.parent) {
        if (p.type === 'if_statement' && /^__name__\s*==\s*['"]__main__['"]$/.test(p.childForFieldName('condition')?.text ?? '')) return true;
        if (p.type === 'function_definition' && decoratorsOf(p).some((d) => /(^|\.)(command|group|callback)\b/.test(d.text))) return true;
      }
      return cliModules && !webFile;
    };

    /** A value the program has just made (`key = secrets.token_urlsafe()`, `token = Token.objects.create(…)`). */
    const generated = (n: Node): boolean => {
      let e: Node | null = n;
      while (e && (e.type === 'attribute' || e.type === 'subscript')) e = e.childForFieldName(e.type === 'attribute' ? 'object' : 'value');
      if (e?.type !== 'identifier') return false;
      const writes = ctx.taint.writesBefore(e.text, e);
      const last = writes[writes.length - 1];
      if (!last) return false;
      let v: Node = last;
      while (v.type === 'await' && v.namedChildren[0]) v = v.namedChildren[0];
      if (v.type !== 'call') return false;
      const fnText = ctx.facts.qualify(v.childForFieldName('function')) ?? v.childForFieldName('function')?.text ?? '';
      return GENERATED.test(fnText);
    };

    /** A function that handles a web request: a route or endpoint, or a view that takes `request`. */
    const inRequestCode = (n: Node): boolean => {
      if (ctx.taint.inHandler(n)) return true;
      for (let f = enclosingFunction(n); f; f = enclosingFunction(f)) {
        if (paramsOf(f).some((p) => /^(request|req)$/.test(p.name))) return true;
      }
      return false;
    };

    const staticText = (call: Node): string => positionalArgs(call).map((a) => {
      if (a.type === 'string' || a.type === 'concatenated_string') {
        return (a.type === 'string' ? [a] : a.namedChildren).map((p) => p?.namedChildren.filter((c) => c?.type === 'string_content').map((c) => c!.text).join(' ') ?? '').join(' ');
      }
      if (a.type === 'binary_operator') return a.childForFieldName('left')?.text ?? '';
      return '';
    }).join(' ');

    const report = (call: Node, hit: Hit, kind: 'logger' | 'print') => {
      let confidence: Confidence = 'medium';
      if (kind === 'print') {
        if (cliCode(call)) {
          // a command that creates a key prints it once to the operator who asked for it: that is its output
          if (generated(hit.node)) return;
          confidence = 'low';
        } else if (!inRequestCode(call) && !(webFile && hit.kind === 'env')) confidence = 'low';
      }
      // `key` alone: often a cache key, a dict key or a setting's name
      if (hit.weak || testFile || INVALID_VALUE_WORDS.test(staticText(call)) || INVALID_VALUE_WORDS.test(hit.said ?? '')) confidence = 'low';
      const message = hit.kind === 'whole'
        ? `This ${kind === 'print' ? 'print' : 'log line'} writes ${hit.what}: request forms, bodies, headers and cookies carry passwords, tokens and session cookies, and anyone who can read the logs could reuse them. Log only the fields you need (an id, the route, whether a token was sent).`
        : hit.kind === 'env'
          ? `This ${kind === 'print' ? 'print' : 'log line'} writes ${hit.what}, a secret setting such as an API key or a database password, and anyone who can read the logs could use it. Log whether the setting is present (\`bool(os.getenv("X"))\`) instead.`
          : `This ${kind === 'print' ? 'print' : 'log line'} writes ${hit.what}, a secret or sensitive value that anyone who can read the logs could see or reuse. Leave it out, or log a masked form (\`value[-4:]\`) or a boolean such as \`has_token\` instead.`;
      ctx.report({ node: hit.node, confidence, message });
    };

    /** Inspect the logged values: the message, its arguments, `extra={…}`. */
    const check = (call: Node, kind: 'logger' | 'print', skipFirst: boolean) => {
      const args = call.childForFieldName('arguments');
      if (!args || args.type !== 'argument_list') return;
      const values: Node[] = positionalArgs(call).slice(skipFirst ? 1 : 0);
      const extra = kind === 'logger' ? keywordArg(call, 'extra') : undefined;
      if (extra) values.push(extra);
      // structlog and loguru take the values as keywords: `log.info("login", password=pw)`
      if (kind === 'logger') {
        for (const c of args.namedChildren) {
          if (c?.type !== 'keyword_argument') continue;
          const name = c.childForFieldName('name')?.text ?? '';
          const v = c.childForFieldName('value');
          if (/^(extra|exc_info|stack_info|stacklevel)$/.test(name) || !v) continue;
          if (secretKey(name) && carriesValue(v)) { report(call, { what: `\`${name}\``, node: c }, kind); return; }
          values.push(v);
        }
      }
      let weak: Hit | undefined;
      for (const v of values) {
        const h = inspect(v, 0);
        if (h && !h.weak) { report(call, h, kind); return; }
        weak ??= h;
      }
      if (weak) report(call, weak, kind);
    };

    const onLog = (call: Node) => {
      const fn = call.childForFieldName('function');
      if (fn?.type !== 'attribute') return;
      const method = fn.childForFieldName('attribute')?.text ?? '';
      if (!LOG_METHODS.has(method)) return;
      const recv = fn.childForFieldName('object');
      if (!recv) return;
      const q = ctx.facts.qualify(recv);
      const last = recv.type === 'identifier' ? recv.text : recv.type === 'attribute' ? recv.childForFieldName('attribute')?.text : recv.type === 'call' ? (recv.childForFieldName('function')?.text ?? '').split('.').pop() : undefined;
      const isLogger = q === 'logging' || q === 'loguru.logger' || q === 'structlog' || (!!last && (LOGGER_NAME.test(last) || /^(getLogger|get_logger)$/.test(last)));
      if (!isLogger || method === 'msg' && q !== 'structlog' && !/logger/i.test(last ?? '')) return;
      // `logger.log(logging.INFO, msg, …)`: the level first
      check(call, 'logger', method === 'log');
    };

    const calls: Record<string, (n: Node) => void> = {
      print(call: Node) {
        if (call.childForFieldName('function')?.type !== 'identifier') return;
        check(call, 'print', false);
      },
    };
    for (const m of LOG_METHODS) calls[m] = onLog;
    return { calls };
  },
});
