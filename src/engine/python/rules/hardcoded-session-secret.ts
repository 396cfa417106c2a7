import type { Node } from 'web-tree-sitter';
import { keywordArg, positionalArgs, stringValue } from '../ast';
import { ensureImportEdit, moveToEnvData, pyFix } from '../fixes';
import { definePythonRule, type PyRuleContext } from '../rule';
import { DEV_SETTINGS_PATH, PY_TEST_PATH } from '../../util/paths';
import { maskSecret } from '../../util/text';

const NAMES = /^(SECRET_KEY|JWT_SECRET_KEY|SECURITY_PASSWORD_SALT|WTF_CSRF_SECRET_KEY|SESSION_SECRET|JWT_SECRET)$/;
/** Values that are not secrets at all: empty, or an obvious "set me" marker the app refuses to run with. */
const NOT_A_VALUE = /^$|^\$\{|^<.*>$/;

function envFix(ctx: PyRuleContext, lit: Node, name: string) {
  const imp = ensureImportEdit(ctx.root, ctx.text, 'os');
  return [pyFix(ctx.path, `Read ${name} from the environment (os.environ["${name}"])`, [
    ...(imp ? [imp] : []),
    { start: lit.startIndex, end: lit.endIndex, newText: `os.environ["${name}"]` },
  ], `Set ${name} in the environment of every place the app runs (a new random value: the old one is in your git history), e.g. python -c "import secrets; print(secrets.token_hex(32))".`)];
}

export default definePythonRule({
  id: 'hardcoded-session-secret',
  docs: {
    description: 'In Python, finds signing secrets written in the code: Django and Flask `SECRET_KEY` (module settings, `app.secret_key`, `app.config["SECRET_KEY"]`, `app.config.update(SECRET_KEY=…)`), Flask-JWT-Extended `JWT_SECRET_KEY`, and string keys passed to PyJWT/python-jose `jwt.encode`/`jwt.decode`. `os.environ.get("SECRET_KEY", "literal")` is reported at lower severity; settings for development, tests or documentation (`settings/dev.py`, `docs/examples/settings.py`) at low confidence. The fix reads the value from `os.environ` and moves it to the project\'s `.env` (next to requirements.txt or pyproject.toml), with `NAME=` in `.env.example` and `.env` in `.gitignore`.',
    bad: '# file: settings.py\nSECRET_KEY = "django-insecure-7x!k2@q9v#m4p8r$w1z6n3b5c0d"\n',
    good: '# file: settings.py\nimport os\n\nSECRET_KEY = os.environ["DJANGO_SECRET_KEY"]\n',
  },
  create(ctx) {
    // test settings and fixtures: their keys sign nothing real
    const testFile = PY_TEST_PATH.test(ctx.path) || DEV_SETTINGS_PATH.test(ctx.path);
    const report = (lit: Node, where: string, name: string, call?: Node) => {
      const v = stringValue(lit);
      if (v === undefined || NOT_A_VALUE.test(v)) return;
      const fallback = !!call;
      // the variable the code reads: `os.environ.get("DJANGO_SECRET_KEY", "…")` → DJANGO_SECRET_KEY
      const envName = call ? stringValue(positionalArgs(call)[0] ?? keywordArg(call, 'key')) : undefined;
      if (call && envName && /^[A-Za-z_][A-Za-z0-9_]*$/.test(envName)) name = envName;
      ctx.report({
        node: lit, ...(fallback ? { severity: 'warning' as const } : {}), ...(testFile ? { confidence: 'low' as const } : {}),
        message: fallback
          ? `${where} falls back to a secret written in the code (${maskSecret(v)}) when the environment variable is missing: a deployment without it signs sessions with a key anyone with the code knows. Fail instead: \`os.environ["${name}"]\`.`
          : `${where} is written in the code (${maskSecret(v)}): anyone who sees the code (a repository, a leaked image) can forge session cookies, CSRF tokens and password-reset links and log in as any user. Read it from the environment and use a new random value.`,
        ...(fallback ? {} : { fixes: envFix(ctx, lit, name) }),
        ...(call && name !== envName ? {} : { fixData: moveToEnvData(ctx.root, ctx.text, lit, name, call) }),
      });
    };
    /** `os.environ.get("X", "lit")` / `os.getenv("X", "lit")`: the literal fallback */
    const fallbackOf = (v: Node): Node | undefined => {
      if (v.type !== 'call') return undefined;
      const q = ctx.facts.qualify(v.childForFieldName('function')) ?? '';
      if (!/^os\.(environ\.get|getenv)$/.test(q)) return undefined;
      const d = positionalArgs(v)[1] ?? keywordArg(v, 'default');
      return d && d.type === 'string' ? d : undefined;
    };
    const value = (v: Node, where: string, name: string) => {
      if (v.type === 'string') report(v, where, name);
      else { const f = fallbackOf(v); if (f) report(f, where, name, v); }
    };
    return {
      nodes: {
        assignment(n: Node) {
          const left = n.childForFieldName('left'), right = n.childForFieldName('right');
          if (!left || !right) return;
          if (left.type === 'identifier' && NAMES.test(left.text) && n.parent?.parent?.type === 'module') value(right, `\`${left.text}\``, left.text);
          else if (left.type === 'attribute' && left.childForFieldName('attribute')?.text === 'secret_key' && ctx.facts.flask) value(right, `\`${left.text}\``, 'SECRET_KEY');
          else if (left.type === 'subscript' && /config$/.test(left.childForFieldName('value')?.text ?? '')) {
            const key = stringValue(left.childForFieldName('subscript'));
            if (key && NAMES.test(key)) value(right, `\`${left.text}\``, key);
          }
        },
        keyword_argument(kw: Node) {
          const name = kw.childForFieldName('name')?.text ?? '';
          const v = kw.childForFieldName('value');
          if (!NAMES.test(name) || !v) return;
          const call = kw.parent?.parent;
          if (call?.type !== 'call' || !/(^|\.)(update|Flask|from_mapping|configure)$/.test(call.childForFieldName('function')?.text ?? '')) return;
          value(v, `\`${name}\``, name);
        },
      },
      calls: {
        encode: (call) => jwtKey(call),
        decode: (call) => jwtKey(call),
      },
    };
    function jwtKey(call: Node) {
      const q = ctx.facts.qualify(call.childForFieldName('function')) ?? '';
      if (!/^(jwt|jose\.jwt)\.(encode|decode)$/.test(q)) return;
      const key = positionalArgs(call)[1] ?? keywordArg(call, 'key');
      if (key?.type === 'string') report(key, `The key passed to \`${call.childForFieldName('function')!.text}\``, 'JWT_SECRET_KEY');
    }
  },
});
