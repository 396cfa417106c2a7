import type { Node } from 'web-tree-sitter';
import { stringValue } from '../ast';
import { ensureImportEdit, moveToEnvData, pyFix } from '../fixes';
import { definePythonRule, type PyRuleContext } from '../rule';
import { envNameFor, findSecrets, isSecretName, secretValueStrength } from '../../secrets/providers';
import { maskSecret } from '../../util/text';

/** Tests, fixtures and examples, where keys are usually fakes: low confidence. */
const TEST_PATH = /(^|\/)(tests?|testing|fixtures?|mocks?|examples?|samples?|docs?)\/|(^|\/)(test_[^/]*|[^/]*_tests?|tests?|conftest)\.py$/;
/** Names other rules own (signing secrets: hardcoded-session-secret). */
const SESSION_NAMES = /^(SECRET_KEY|JWT_SECRET_KEY|SECURITY_PASSWORD_SALT|WTF_CSRF_SECRET_KEY|SESSION_SECRET|JWT_SECRET|secret_key)$/;

/** The name a string is bound to: `API_KEY = "…"`, `api_key="…"`, `config["api_key"] = "…"`, `{"api_key": "…"}`. */
function boundName(lit: Node): string | undefined {
  const p = lit.parent;
  if (!p) return undefined;
  if (p.type === 'assignment' && p.childForFieldName('right')?.id === lit.id) {
    const left = p.childForFieldName('left');
    if (left?.type === 'identifier') return left.text;
    if (left?.type === 'attribute') return left.childForFieldName('attribute')?.text;
    if (left?.type === 'subscript') return stringValue(left.childForFieldName('subscript'));
  }
  if (p.type === 'keyword_argument' && p.childForFieldName('value')?.id === lit.id) return p.childForFieldName('name')?.text;
  if (p.type === 'pair' && p.childForFieldName('value')?.id === lit.id) return stringValue(p.childForFieldName('key'));
  return undefined;
}

function envFix(ctx: PyRuleContext, lit: Node, name: string) {
  const imp = ensureImportEdit(ctx.root, ctx.text, 'os');
  return [pyFix(ctx.path, `Read it from the environment (os.environ["${name}"])`, [
    ...(imp ? [imp] : []),
    { start: lit.startIndex, end: lit.endIndex, newText: `os.environ["${name}"]` },
  ], `Set ${name} where the app runs, and rotate the key: the old one stays in your git history.`)];
}

export default definePythonRule({
  id: 'hardcoded-secret',
  docs: {
    description: 'In Python, finds string literals that match a provider\'s key format (Stripe, AWS, GitHub, OpenAI, Slack, Twilio… — the same catalog as for JavaScript), and random-looking values assigned to secret names (`api_key = "…"`, `password="…"`, `{"client_secret": "…"}`). Signing secrets such as `SECRET_KEY` are left to `hardcoded-session-secret`. The fix reads the value from `os.environ` and moves it to the project\'s `.env` (next to requirements.txt or pyproject.toml), with `NAME=` in `.env.example` and `.env` in `.gitignore`.',
    bad: '# file: payments.py\nimport stripe\n\nstripe.api_key = "sk_live_51NqLr2Kx9vTm4WbQzY7pHcD3fJ8sA6gE0uRtV1nM5yXkP2"\n',
    good: '# file: payments.py\nimport os\n\nimport stripe\n\nstripe.api_key = os.environ["STRIPE_SECRET_KEY"]\n',
  },
  create(ctx) {
    const modules = [...ctx.facts.modules].join(' ');
    const testFile = TEST_PATH.test(ctx.path);
    return {
      nodes: {
        string(lit: Node) {
          // most strings are short labels, keys and messages: skip them before touching the tree
          const raw = lit.text;
          if (raw.length < 10 || /^[rRbBuU]*[fF]/.test(raw)) return;
          const value = stringValue(lit);
          if (value === undefined || value.length < 8) return;
          // docstrings and comments-as-strings: statements that are only a string
          if (lit.parent?.type === 'expression_statement') return;
          const name = boundName(lit);
          if (name && SESSION_NAMES.test(name)) return;
          const matches = findSecrets(value, { names: name ?? '', modules, bound: !!name && isSecretName(name) }).filter((m) => !m.provider.publishable);
          if (matches.length) {
            const m = matches[0];
            const low = testFile || m.level === 'low' || m.provider.testMode;
            ctx.report({
              node: lit, confidence: low ? 'low' : 'high',
              message: `${m.provider.provider} ${m.provider.label} written in the code (${m.masked}): anyone who can read the code (a repository, a package, a leaked image) can use it. Read it from the environment (\`os.environ["${m.provider.envVar}"]\`) and rotate the key.`,
              ...(value === m.value ? { fixes: envFix(ctx, lit, m.provider.envVar), fixData: moveToEnvData(ctx.root, ctx.text, lit, m.provider.envVar) } : {}),
            });
            return;
          }
          if (!name || !isSecretName(name)) return;
          const strength = secretValueStrength(value, name);
          if (!strength) return;
          const env = envNameFor(name);
          ctx.report({
            node: lit, confidence: testFile || strength === 'low' ? 'low' : 'medium',
            message: `\`${name}\` holds a secret written in the code (${maskSecret(value)}): anyone who can read the code can use it. Read it from the environment (\`os.environ["${env}"]\`) and rotate it.`,
            fixes: envFix(ctx, lit, env),
            fixData: moveToEnvData(ctx.root, ctx.text, lit, env),
          });
        },
      },
    };
  },
});
