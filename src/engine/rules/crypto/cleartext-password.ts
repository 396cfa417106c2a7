import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule, sameVisitor, type RuleContext } from '../../model/rule';
import type { Confidence } from '../../model/types';
import { calleeName, enclosingFunction, literalText, memberChain, nameWords, propertyNameText, unwrap } from '../../util/ast';
import { DB_WRITE_CALLS, dbWriteOf, definesModelHere } from '../../util/db-writes';
import { isBrowserish } from '../../util/web';
import { isPasswordName } from './weak-password-hash';
import { textPrefilter } from '../../util/text-words';

/** the pre-filter's expression, asked only of a text that holds one of these words (util/text-words.ts) */
const PASS_TEXT = textPrefilter(/pass/i, ['pass']);

/** Calls that turn a password into something safe to store (or that check one against a stored hash). */
const HASHING = /\b(bcrypt|bcryptjs|argon2|scrypt|scryptSync|pbkdf2|pbkdf2Sync|genSalt|encryptPassword|setPassword|encrypt)\s*\(|hash\w*\s*\(|Hash\w*\s*\(|\bArgon2id\b/;
/** Model hooks that hash a password before it is saved, visible in this file. */
const HOOKS = /\.pre\s*\(\s*['"](save|validate|findOneAndUpdate|updateOne|insertMany)['"]|\bbeforeCreate\b|\bbeforeSave\b|\bbeforeUpdate\b|\bbeforeBulkCreate\b|\baddHook\s*\(|\$use\s*\(|\$extends\s*\(|@BeforeInsert\b|@BeforeUpdate\b/;
/** Where a stored password lives: a record loaded from the database, not the submitted form. */
const RECORD_WORDS = new Set(['user', 'users', 'account', 'accounts', 'admin', 'member', 'row', 'rows', 'record', 'doc', 'document',
  'customer', 'employee', 'profile', 'student', 'owner', 'person', 'found', 'existing', 'db', 'staff', 'teacher', 'stored', 'saved', 'result', 'results', 'entity', 'data']);
/** Names of the submitted side that are a second copy of the new password, not the stored one. */
const CONFIRM_WORDS = new Set(['confirm', 'confirmation', 'repeat', 'repeated', 'retype', 'again', 'verify', 'verification', 'check', 'second', 'new']);
/** Lookups by a filter object (visitCall). */
const LOOKUPS = /^(findOne|findFirst|findUnique|findAll|find|findOneAndUpdate|count|exists|findFirstOrThrow|findUniqueOrThrow)$/;
/** every callee name visitCall acts on for a call (a write, a lookup, Supabase's `eq`): it returns at once on any other */
const CALL_NAMES = [...DB_WRITE_CALLS, ...LOOKUPS.source.slice(2, -2).split('|'), 'eq'];
/** the operators of the comparisons the rule reads */
const EQUALITY = ['===', '!==', '==', '!='];
/** Request-side roots. */
const REQUEST_ROOTS = /^(req|request|ctx|body|input|args|params|values|form|formData|credentials|payload|dto|data|fields)$/;

function isEnv(e: ts.Expression): boolean {
  const chain = memberChain(e);
  return !!chain && chain[0] === 'process' && chain[1] === 'env';
}

/** The property name of an object literal member. */
function propName(p: ts.ObjectLiteralElementLike): string | undefined {
  if (ts.isShorthandPropertyAssignment(p)) return p.name.text;
  if (ts.isPropertyAssignment(p)) return propertyNameText(p.name);
  return undefined;
}

export default defineRule({
  meta: {
    id: 'cleartext-password',
    title: 'Password stored or compared in cleartext',
    category: 'crypto',
    severity: 'error',
    confidence: 'medium',
    cwe: [256, 312],
    owasp: 'A02:2021 Cryptographic Failures',
    description: 'Finds passwords written to the database as they were typed (`prisma.user.create({ data: { password } })`, Supabase `insert`, Mongo `insertOne`, Mongoose/Sequelize `User.create` when no hashing hook is visible), looked up in cleartext (`User.findOne({ email, password })`, `WHERE password = ?`), or compared with a stored password using `===`.',
    notReported: 'Values that pass through bcrypt, argon2, scrypt or a `hash…` helper on the way, fields named like hashes (`passwordHash`, `hashedPassword`), comparisons of a password with its confirmation, and browser code. A Mongoose or Sequelize model call whose model is defined in another file is low confidence: a `pre(\'save\')` or `beforeCreate` hook there may hash the password.',
    why: 'A database of cleartext passwords turns any leak (a backup, an SQL injection, a curious employee) into every user\'s password, which most people reuse on their e-mail and bank. Comparing passwords with `===` also means the stored value is the password itself.',
    fix: 'Hash the password with bcrypt (cost 12), scrypt or Argon2id before storing it, store only the hash, and check logins with the library\'s compare function (`await bcrypt.compare(password, user.passwordHash)`). Look the user up by e-mail only, never by password.',
    bad: `app.post('/api/signup', async (req, res) => {
  const { email, password } = req.body;
  const user = await prisma.user.create({ data: { email, password } });
  res.status(201).json({ id: user.id });
});`,
    good: `import bcrypt from 'bcrypt';
app.post('/api/signup', async (req, res) => {
  const { email, password } = req.body;
  const passwordHash = await bcrypt.hash(password, 12);
  const user = await prisma.user.create({ data: { email, passwordHash } });
  res.status(201).json({ id: user.id });
});`,
    fixSafety: 'none',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['passwords', 'auth', 'crypto'],
  },
  create(ctx) {
    if (!PASS_TEXT.test(ctx.text)) return {};
    if (isBrowserish(ctx)) return {};
    // whole-text tests asked only when a write to a model or Prisma is judged (few files): read once then
    let hooks: boolean | undefined, model: boolean | undefined;
    const fileHooks = () => hooks ??= HOOKS.test(ctx.text) && HASHING.test(ctx.text);
    const modelHere = () => model ??= definesModelHere(ctx.text);

    /** The function around `node` hashes or verifies a password itself. */
    const hashesNearby = (node: ts.Node): boolean => {
      const fn = enclosingFunction(node);
      return HASHING.test((fn ?? ctx.sourceFile).getText(ctx.sourceFile));
    };

    /** Whether an expression is the password as typed: `password`, `req.body.password`, `body.newPassword`. */
    const plainPassword = (expr: ts.Expression, depth = 0): ts.Expression | undefined => {
      const e = unwrap(expr);
      if (depth > 4) return undefined;
      if (ts.isIdentifier(e)) {
        if (!isPasswordName(e.text)) return undefined;
        const b = ctx.taint.scopes.resolve(e);
        if (b && ts.isVariableDeclaration(b) && b.initializer) {
          const init = unwrap(b.initializer);
          if (ts.isCallExpression(init) || ts.isAwaitExpression(init)) return undefined; // a helper's result: may be the hash
          return plainPassword(init, depth + 1) ?? (ts.isIdentifier(init) || ts.isPropertyAccessExpression(init) ? e : undefined);
        }
        // reassigned later in the function (`password = await hash(password)`) is caught by hashesNearby
        return e;
      }
      if (ts.isPropertyAccessExpression(e)) return isPasswordName(e.name.text) && !isEnv(e) ? e : undefined;
      if (ts.isElementAccessExpression(e)) {
        const k = literalText(e.argumentExpression);
        return k && isPasswordName(k) ? e : undefined;
      }
      return undefined;
    };

    const confidenceFor = (kind: string, node: ts.Node): Confidence | undefined => {
      if (hashesNearby(node)) return undefined;
      if (ctx.facts.testFile) return 'low';
      if (kind === 'model') {
        if (fileHooks()) return undefined;
        return modelHere() ? 'medium' : 'low';
      }
      if (kind === 'prisma' && fileHooks()) return undefined;
      return 'medium';
    };

    const reported = new Set<ts.Node>();
    const report = (node: ts.Node, confidence: Confidence, message: string) => {
      if (reported.has(node)) return;
      reported.add(node);
      ctx.report({ node, confidence, message });
    };

    /** `{ email, password: req.body.password }` written or used as a filter. */
    const checkObject = (obj: ts.ObjectLiteralExpression, kind: string, label: string, lookup: boolean) => {
      for (const p of obj.properties) {
        const key = propName(p);
        if (!key || !isPasswordName(key)) continue;
        const value = ts.isShorthandPropertyAssignment(p) ? p.name : ts.isPropertyAssignment(p) ? p.initializer : undefined;
        if (!value) continue;
        const plain = plainPassword(value);
        if (!plain) continue;
        const confidence = confidenceFor(kind, p);
        if (!confidence) continue;
        report(p, confidence, lookup
          ? `\`${label}\` looks the user up by \`${key}\` as typed, which only works if passwords are stored in cleartext. Store a bcrypt or Argon2 hash instead, find the user by e-mail, and check the password with \`bcrypt.compare\`.`
          : `\`${label}\` stores \`${key}\` as it was typed${kind === 'model' && confidence === 'low' ? ' (unless a hook in the model file hashes it)' : ''}: anyone who gets a copy of the database has every user's password. Hash it first (\`await bcrypt.hash(${plain.getText(ctx.sourceFile)}, 12)\` or Argon2id) and store only the hash.`);
      }
    };

    return {
      CallExpression: sameVisitor(CALL_NAMES, (call) => { visitCall(call); }),
      NewExpression(call) { visitCall(call); },
      BinaryExpression: sameVisitor(EQUALITY, (bin) => {
        const op = bin.operatorToken.kind;
        if (op !== ts.SyntaxKind.EqualsEqualsEqualsToken && op !== ts.SyntaxKind.ExclamationEqualsEqualsToken &&
            op !== ts.SyntaxKind.EqualsEqualsToken && op !== ts.SyntaxKind.ExclamationEqualsToken) return;
        const sides = [unwrap(bin.left), unwrap(bin.right)];
        for (let i = 0; i < 2; i++) {
          const stored = sides[i];
          const typed = sides[1 - i];
          if (!ts.isPropertyAccessExpression(stored) && !ts.isElementAccessExpression(stored)) continue;
          const chain = memberChain(stored);
          if (!chain || chain.length < 2) continue;
          const key = chain[chain.length - 1];
          if (!isPasswordName(key)) continue;
          const owner = chain.slice(0, -1);
          if (REQUEST_ROOTS.test(owner[0]) || owner[0] === 'process') continue;
          if (!owner.some((s) => nameWords(s.replace(/\(\)$/, '')).some((w) => RECORD_WORDS.has(w)))) continue;
          const typedPw = plainPassword(typed);
          if (!typedPw) continue;
          const typedChain = memberChain(typed);
          if (typedChain && typedChain[0] === owner[0]) continue; // two fields of the same record
          // the other side must be what the user typed: a password variable, or a field of the request or form
          if (typedChain && typedChain.length > 1 && !REQUEST_ROOTS.test(typedChain[0]) && !ctx.taint.taintOf(typed)) continue;
          const typedName = typedChain ? typedChain[typedChain.length - 1] : '';
          if (nameWords(typedName).some((w) => CONFIRM_WORDS.has(w))) continue;
          if (isEnv(typed)) continue;
          if (hashesNearby(bin)) return;
          report(bin, ctx.facts.testFile ? 'low' : 'medium',
            `\`${bin.getText(ctx.sourceFile).replace(/\s+/g, ' ').slice(0, 60)}\` compares the typed password with the stored one as plain text, so the database holds every user's real password (and \`===\` leaks timing). Store a bcrypt or Argon2 hash and check with \`await bcrypt.compare(${typed.getText(ctx.sourceFile)}, ${owner.join('.')}.passwordHash)\`.`);
          return;
        }
      }),
      StringLiteral(s) { checkSql(s, s.text); },
      NoSubstitutionTemplateLiteral(s) { checkSql(s, s.text); },
      TemplateExpression(t) { checkSql(t, t.head.text + t.templateSpans.map((x) => '${}' + x.literal.text).join('')); },
    };

    function visitCall(call: ts.CallExpression | ts.NewExpression) {
      const write = dbWriteOf(ctx, call);
      if (write) {
        for (const o of write.payloads) checkObject(o, write.kind, write.label, false);
        return;
      }
      const name = calleeName(call);
      // User.findOne({ email, password }) / prisma.user.findFirst({ where: { email, password } })
      if (name && LOOKUPS.test(name) && call.arguments?.length) {
        let filter = unwrap(call.arguments[0]);
        if (ts.isObjectLiteralExpression(filter)) {
          const where = filter.properties.find((p) => propName(p) === 'where');
          if (where && ts.isPropertyAssignment(where) && ts.isObjectLiteralExpression(unwrap(where.initializer))) filter = unwrap(where.initializer);
          if (ts.isObjectLiteralExpression(filter)) checkObject(filter, 'lookup', `${(memberChain(call.expression) ?? [name]).join('.')}(…)`, true);
        }
        return;
      }
      // supabase.from('users').select().eq('password', password)
      if (name === 'eq' && call.arguments && call.arguments.length === 2) {
        const col = literalText(call.arguments[0]);
        if (col && isPasswordName(col) && plainPassword(call.arguments[1])) {
          const c = confidenceFor('lookup', call);
          if (c) report(call, c, `\`.eq('${col}', …)\` looks the user up by the password as typed, which only works if passwords are stored in cleartext. Use Supabase Auth (\`supabase.auth.signInWithPassword\`), or store a bcrypt/Argon2 hash and compare with \`bcrypt.compare\`.`);
        }
      }
    }

    /** `SELECT … WHERE email = ? AND password = ?`: a cleartext lookup. */
    function checkSql(node: ts.Node, text: string) {
      // (the test anchored at the start first: most strings are not queries)
      if (text.length < 20 || !/^\s*(select|update|delete)\b/i.test(text) || !/\bwhere\b/i.test(text)) return;
      const m = /\b(password|passwd|pwd|pass)\s*=\s*(\?|\$\d+|:\w+|@\w+|'?\$\{\}'?)/i.exec(text);
      if (!m) return;
      // `password = ?` in an UPDATE's SET part writes a new value: that is a write, not a lookup
      const where = text.search(/\bwhere\b/i);
      if (m.index < where) return;
      const c = confidenceFor('lookup', node);
      if (!c) return;
      report(node, c, `This query matches \`${m[1]}\` against the password as typed, which only works if passwords are stored in cleartext. Store a bcrypt or Argon2 hash, select the user by e-mail, and check the password with \`bcrypt.compare\`.`);
    }
  },
});
