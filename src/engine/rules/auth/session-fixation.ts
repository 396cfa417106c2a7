import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule, sameVisitor } from '../../model/rule';
import { enclosingFunction, literalText, memberChain, nameWords } from '../../util/ast';
import { textPrefilter } from '../../util/text-words';

/** the operators of the assignments the rule's visitor of binary expressions acts on: it returns at once on any other */
const OPERATORS = ['='];

/** the pre-filter's expression, asked only of a text that holds one of these words (util/text-words.ts) */
const SESSION_USE = textPrefilter(/\.session\b/, ['.session']);

/** Session keys that say who is signed in. */
const IDENTITY_WORDS = new Set(['user', 'userid', 'uid', 'account', 'accountid', 'auth', 'authenticated', 'authed', 'logged', 'loggedin',
  'admin', 'isadmin', 'role', 'member', 'customer', 'principal', 'identity', 'signedin']);
/** Route paths and function names of the moments a user signs in. */
const LOGIN_PATH = /(log-?in|sign-?in|sign-?up|register|auth|callback|verify|mfa|2fa|otp|session)/i;

export default defineRule({
  meta: {
    id: 'session-fixation',
    title: 'Login keeps the same session id (session fixation)',
    category: 'auth',
    severity: 'warning',
    confidence: 'medium',
    cwe: [384],
    owasp: 'A07:2021 Identification and Authentication Failures',
    description: 'Finds Express login, signup and callback handlers that mark the session as signed in (`req.session.userId = user.id`, `req.session.user = …`) without calling `req.session.regenerate()` first, so the session id from before the login stays valid after it (express-session).',
    notReported: 'Handlers that call `req.session.regenerate()` (the assignment is then usually in its callback), cookie-based sessions (`cookie-session`, Koa sessions) whose whole content is in the cookie, and Passport\'s `req.login()`, which regenerates the session itself since Passport 0.6. Session writes outside sign-in routes (e.g. after a profile edit) are low confidence.',
    why: 'If the session id does not change at login, an attacker who planted a session id in the victim\'s browser beforehand (a link, a subdomain, a shared computer) shares the victim\'s signed-in session as soon as the victim logs in. A new id at every privilege change closes that door.',
    fix: 'Call `req.session.regenerate()` after checking the password and before writing the user into the session, then save it: `req.session.regenerate((err) => { if (err) return next(err); req.session.userId = user.id; req.session.save(() => res.redirect(\'/\')); })`. With Passport, use `req.login()` with Passport 0.6 or later.',
    bad: `app.post('/login', async (req, res) => {
  const user = await findUserByEmail(req.body.email);
  if (!user || !(await bcrypt.compare(req.body.password, user.passwordHash))) return res.status(401).send('Invalid login');
  req.session.userId = user.id;
  res.redirect('/dashboard');
});`,
    good: `app.post('/login', async (req, res, next) => {
  const user = await findUserByEmail(req.body.email);
  if (!user || !(await bcrypt.compare(req.body.password, user.passwordHash))) return res.status(401).send('Invalid login');
  req.session.regenerate((err) => {
    if (err) return next(err);
    req.session.userId = user.id;
    req.session.save(() => res.redirect('/dashboard'));
  });
});`,
    fixSafety: 'none',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['session', 'auth'],
  },
  create(ctx) {
    if (!SESSION_USE.test(ctx.text)) return {};
    if (ctx.facts.modules.has('cookie-session') || ctx.facts.modules.has('koa-session') || ctx.facts.modules.has('@fastify/secure-session') || ctx.facts.modules.has('iron-session')) return {};

    /** The route path or function name of the handler around `node`. */
    const handlerLabel = (fn: ts.FunctionLikeDeclaration): string => {
      const parts: string[] = [];
      let f: ts.FunctionLikeDeclaration | undefined = fn;
      while (f) {
        const p = f.parent;
        if (p && ts.isCallExpression(p)) {
          const path = p.arguments.length ? literalText(p.arguments[0]) : undefined;
          if (path) parts.push(path);
        }
        if ((ts.isFunctionDeclaration(f) || ts.isMethodDeclaration(f)) && f.name) parts.push(f.name.getText(ctx.sourceFile));
        if (p && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) parts.push(p.name.text);
        if (p && ts.isPropertyAssignment(p)) parts.push(p.name.getText(ctx.sourceFile));
        f = enclosingFunction(f);
      }
      return parts.join(' ');
    };

    /** Some function around `node` calls `regenerate` (the write sits in its callback or after it). */
    const regenerates = (node: ts.Node): boolean => {
      let f = enclosingFunction(node);
      let outer: ts.FunctionLikeDeclaration | undefined;
      while (f) { outer = f; f = enclosingFunction(f); }
      return !!outer && /\bregenerate\s*\(|\bregenerateSession\b|\.login\s*\(|\.logIn\s*\(/.test(outer.getText(ctx.sourceFile));
    };

    const seen = new Set<ts.Node>();
    return {
      BinaryExpression: sameVisitor(OPERATORS, (b) => {
        if (b.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return;
        const chain = memberChain(b.left);
        if (!chain || chain.length !== 3 || !/^(req|request)$/.test(chain[0]) || chain[1] !== 'session') return;
        const key = chain[2];
        if (!nameWords(key).some((w) => IDENTITY_WORDS.has(w)) && !IDENTITY_WORDS.has(key.toLowerCase())) return;
        // clearing the session at logout is not a login
        const r = b.right;
        if (r.kind === ts.SyntaxKind.NullKeyword || r.kind === ts.SyntaxKind.FalseKeyword || (ts.isIdentifier(r) && r.text === 'undefined')) return;
        const fn = enclosingFunction(b);
        if (!fn || regenerates(b)) return;
        let outer = fn;
        for (let f = enclosingFunction(fn); f; f = enclosingFunction(f)) outer = f;
        if (seen.has(outer)) return; // one finding per handler
        seen.add(outer);
        const label = handlerLabel(fn);
        const body = outer.getText(ctx.sourceFile);
        const signsIn = LOGIN_PATH.test(label) || /\b(compare|verify|checkPassword|validatePassword|comparePassword|authenticate)\s*\(/.test(body);
        ctx.report({
          node: b,
          confidence: ctx.facts.testFile || !signsIn ? 'low' : 'medium',
          message: `\`${b.left.getText(ctx.sourceFile)} = …\` signs the user in on the session they arrived with, without \`req.session.regenerate()\`: someone who planted that session id beforehand is signed in too (session fixation). Call \`req.session.regenerate()\` first and set \`${chain[2]}\` in its callback.`,
        });
      }),
    };
  },
});
