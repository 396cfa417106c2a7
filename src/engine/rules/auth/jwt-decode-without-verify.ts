import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule, type RuleContext } from '../../model/rule';
import { calleeName, enclosingFunction, isFunctionLike, memberChain, propertyNameText, unwrap } from '../../util/ast';
import { jwtCall } from '../../util/jwt';
import { textPrefilter } from '../../util/text-words';

/** the pre-filter's expression, asked only of a text that holds one of these words (util/text-words.ts) */
const JWT_LIBS = textPrefilter(['jsonwebtoken', 'jose', 'jwt-decode'], ['jsonwebtoken', 'jose', 'jwt-decode']);

/** Claims whose value decides who the caller is or what they may do. */
const AUTH_CLAIMS = new Set(['role', 'roles', 'isadmin', 'admin', 'is_admin', 'sub', 'userid', 'user_id', 'uid', 'id',
  'permissions', 'permission', 'scope', 'scopes', 'tenantid', 'tenant_id', 'orgid', 'org_id', 'organizationid', 'email',
  'user', 'groups', 'group', 'plan', 'accountid', 'account_id', 'username', 'claims', 'authorities', 'isowner', 'owner']);
/** Where middleware stores the authenticated identity. */
const IDENTITY_TARGETS = /^(req|request|ctx\.state|ctx|context|c|res\.locals|locals|event\.locals|session)\.(user|auth|identity|currentUser|claims|session|userId|account|principal|token)$/;

interface Use { kind: 'auth' | 'benign' | 'unknown'; node?: ts.Node; what?: string }

/** How a decoded token is used: read for an identity/authorization claim, only for its header/expiry, or unknown. */
function classifyUse(ctx: RuleContext, call: ts.CallExpression): Use {
  let n: ts.Node = call;
  while (n.parent && (ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent) || ts.isNonNullExpression(n.parent) ||
         ts.isAwaitExpression(n.parent) || ts.isSatisfiesExpression(n.parent) ||
         // token ? jwt.decode(token) : null  /  jwt.decode(token) || {}
         (ts.isConditionalExpression(n.parent) && n.parent.condition !== n) ||
         (ts.isBinaryExpression(n.parent) && (n.parent.operatorToken.kind === ts.SyntaxKind.BarBarToken || n.parent.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)))) n = n.parent;
  const p = n.parent;
  if (!p) return { kind: 'unknown' };
  // jwt.decode(t).role
  if (ts.isPropertyAccessExpression(p) && p.expression === n) return claimUse(p.name.text, p);
  // req.user = jwt.decode(t)
  if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && p.right === n) {
    const chain = memberChain(p.left)?.join('.');
    if (chain && IDENTITY_TARGETS.test(chain)) return { kind: 'auth', node: p.left, what: `the result is stored as \`${chain}\`` };
    if (ts.isIdentifier(unwrap(p.left))) return usesOfName(ctx, unwrap(p.left) as ts.Identifier, call);
    return { kind: 'unknown' };
  }
  if (ts.isVariableDeclaration(p) && p.initializer === n) {
    if (ts.isIdentifier(p.name)) return usesOfName(ctx, p.name, call);
    if (ts.isObjectBindingPattern(p.name)) {
      let benign = true;
      for (const el of p.name.elements) {
        const key = el.propertyName ? propertyNameText(el.propertyName) : ts.isIdentifier(el.name) ? el.name.text : undefined;
        if (!key) { benign = false; continue; }
        const u = claimUse(key, el);
        if (u.kind === 'auth') return u;
        if (u.kind === 'unknown') benign = false;
      }
      return { kind: benign ? 'benign' : 'unknown' };
    }
  }
  // return { user: jwt.decode(t) } / res.json(jwt.decode(t)): not a decision here
  return { kind: 'unknown' };
}

function claimUse(name: string, node: ts.Node): Use {
  const k = name.toLowerCase();
  if (k === 'header' || k === 'exp' || k === 'iat' || k === 'nbf' || k === 'kid' || k === 'alg' || k === 'iss' || k === 'aud') return { kind: 'benign' };
  if (AUTH_CLAIMS.has(k)) return { kind: 'auth', node, what: `its \`${name}\` claim is read` };
  return { kind: 'unknown' };
}

/** Uses of a variable holding the decoded token, within the function that declares it. */
function usesOfName(ctx: RuleContext, id: ts.Identifier, call: ts.CallExpression): Use {
  const scope = enclosingFunction(call) ?? call.getSourceFile();
  const binding = ctx.taint.scopes.resolve(id) ?? (ts.isVariableDeclaration(id.parent) ? id.parent : undefined);
  let found: Use = { kind: 'benign' };
  let sawUse = false;
  const visit = (x: ts.Node) => {
    if (found.kind === 'auth') return;
    if (ts.isIdentifier(x) && x !== id && x.text === id.text && ctx.taint.scopes.resolve(x) === binding) {
      sawUse = true;
      const parent = x.parent;
      if (ts.isPropertyAccessExpression(parent) && parent.expression === x) {
        let prop = parent.name.text;
        let at: ts.Node = parent;
        // decoded.payload.role (complete: true)
        if (prop === 'payload' && ts.isPropertyAccessExpression(parent.parent) && parent.parent.expression === parent) {
          prop = parent.parent.name.text;
          at = parent.parent;
        }
        const u = claimUse(prop, at);
        if (u.kind === 'auth') { found = u; return; }
        if (u.kind === 'unknown' && found.kind === 'benign') found = { kind: 'unknown' };
      } else if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && parent.right === x) {
        const chain = memberChain(parent.left)?.join('.');
        if (chain && IDENTITY_TARGETS.test(chain)) { found = { kind: 'auth', node: parent.left, what: `the result is stored as \`${chain}\`` }; return; }
        if (found.kind === 'benign') found = { kind: 'unknown' };
      } else if (ts.isVariableDeclaration(parent) && parent.initializer === x && ts.isObjectBindingPattern(parent.name)) {
        for (const el of parent.name.elements) {
          const key = el.propertyName ? propertyNameText(el.propertyName) : ts.isIdentifier(el.name) ? el.name.text : undefined;
          const u = key ? claimUse(key, el) : { kind: 'unknown' as const };
          if (u.kind === 'auth') { found = u; return; }
        }
      } else if (found.kind === 'benign') {
        found = { kind: 'unknown' };
      }
    }
    ts.forEachChild(x, visit);
  };
  ts.forEachChild(scope, visit);
  return sawUse ? found : { kind: 'benign' };
}

/** Whether the function around the decode also verifies a token (decode for `kid`, then verify). */
function verifiesNearby(call: ts.CallExpression): boolean {
  let scope: ts.Node | undefined = enclosingFunction(call);
  if (!scope) return false;
  // look in the outermost function that is not a whole module (a handler and its nested callbacks)
  let outer = scope;
  while (outer.parent) {
    const f = enclosingFunction(outer);
    if (!f) break;
    outer = f;
  }
  scope = outer;
  let hit = false;
  const visit = (x: ts.Node) => {
    if (hit) return;
    if (ts.isCallExpression(x) && x !== call) {
      const name = calleeName(x) ?? '';
      if (/verif/i.test(name) || name === 'jwtVerify') { hit = true; return; }
    }
    ts.forEachChild(x, visit);
  };
  ts.forEachChild(scope, visit);
  return hit;
}

function inServerMiddlewareFile(path: string): boolean {
  return /(^|\/)(src\/)?middleware\.[cm]?[jt]s$/.test(path.replace(/\\/g, '/'));
}

export default defineRule({
  meta: {
    id: 'jwt-decode-without-verify',
    title: 'JWT decoded without verifying its signature',
    category: 'auth',
    severity: 'error',
    confidence: 'medium',
    cwe: [345, 347],
    // OWASP 2021 maps CWE-345 (insufficient verification of data authenticity) to A08: the signature is the integrity check
    owasp: 'A08:2021 Software and Data Integrity Failures',
    description: 'Finds server code that reads identity or permissions (`sub`, `userId`, `role`, `isAdmin`, `req.user = …`) from a token opened with `jwt.decode()` (jsonwebtoken), `jwtDecode()` (jwt-decode) or `decodeJwt()` (jose), none of which check the signature.',
    notReported: '`jwt.decode()` used only to read the expiry or the header before a real `verify()`, and decoding in browser code (the browser never decides access; the server must verify).',
    why: 'Decoding only base64-reads the token: it does not check that your server signed it. Anyone can write a token saying `{"sub": "1", "role": "admin"}` and the server will believe it, so every account and every admin action is open.',
    fix: 'On the server, use the verifying call with your key and a pinned algorithm: `jwt.verify(token, secret, { algorithms: [\'HS256\'] })` or jose `jwtVerify(token, key)`. Keep `decode`/`jwt-decode` for the browser, to show the name or expiry of a token the server checks anyway.',
    bad: `import jwt from 'jsonwebtoken';
export function requireAdmin(req, res, next) {
  const claims = jwt.decode(req.headers.authorization.slice(7));
  if (claims.role !== 'admin') return res.status(403).end();
  next();
}`,
    good: `import jwt from 'jsonwebtoken';
export function requireAdmin(req, res, next) {
  const claims = jwt.verify(req.headers.authorization.slice(7), process.env.JWT_SECRET, { algorithms: ['HS256'] });
  if (claims.role !== 'admin') return res.status(403).end();
  next();
}`,
    fixSafety: 'none',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['jwt', 'auth'],
  },
  create(ctx) {
    if (!JWT_LIBS.test(ctx.text)) return {}; // cheap pre-filter: no JWT library in this file
    return {
      CallExpression(call) {
        const jc = jwtCall(ctx, call);
        if (!jc) return;
        if (!(jc.fn === 'decode' && jc.lib === 'jsonwebtoken') && jc.fn !== 'jwtDecode' && jc.fn !== 'decodeJwt') return;
        if (ctx.facts.useClient) return; // reading display info in the browser is what jwt-decode is for
        const use = classifyUse(ctx, call);
        if (use.kind !== 'auth') return;
        if (verifiesNearby(call)) return;
        const server = ctx.taint.inRequestContext(call) || inServerMiddlewareFile(ctx.path) || ctx.facts.nextRouteFile || ctx.facts.nextPagesApi;
        const fn = enclosingFunction(call);
        const inComponent = !server && fn && isFunctionLike(fn) && /\.(jsx|tsx)$/.test(ctx.path);
        if (inComponent) return;
        const callText = call.expression.getText(ctx.sourceFile);
        ctx.report({
          node: call,
          confidence: ctx.facts.testFile ? 'low' : server ? 'medium' : 'low',
          message: `\`${callText}()\` only reads the token without checking its signature, yet ${use.what}: anyone can craft a token claiming to be another user or an admin. Verify it instead (\`jwt.verify(token, secret, { algorithms: ['HS256'] })\` or jose \`jwtVerify\`).`,
          related: use.node && use.node !== call ? [{ node: use.node, message: 'The unverified claims are trusted here.' }] : undefined,
        });
      },
    };
  },
});
