import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule, sameVisitor } from '../../model/rule';
import type { Confidence } from '../../model/types';
import { calleeName, calleeObject, literalText, memberChain, nameWords, propertyNameText, unwrap } from '../../util/ast';
import { DB_WRITE_CALLS, dbWriteOf } from '../../util/db-writes';
import { isBrowserish } from '../../util/web';
import { textPrefilter } from '../../util/text-words';

/** the pre-filter's expression, asked only of a text that holds one of these words (util/text-words.ts) */
// (the words of /cvv|cvc|card|ssn|social|passport|birth|dob|\bpan\b/i in two pre-filters: `pan` is in many texts
// (`span`, `expand`, `company`), where a search for the word alone is cheaper than the whole expression)
const SENSITIVE_WORDS = textPrefilter(/cvv|cvc|card|ssn|social|passport|birth|dob/i, ['cvv', 'cvc', 'card', 'ssn', 'social', 'passport', 'birth', 'dob']);
const PAN_WORD = textPrefilter(/\bpan\b/i, ['pan']);

type Kind = 'cvv' | 'card' | 'ssn' | 'passport' | 'dob';

/** What a field holds, by its name (`creditCardNumber` → card, `ssn` → ssn, `cvc` → cvv). */
function kindOf(name: string): Kind | undefined {
  const w = nameWords(name);
  if (!w.length) return undefined;
  // values derived from the secret that are fine to keep: last four digits, masked forms, tokens, brands, fingerprints
  if (w.some((x) => /^(last4|last|masked|mask|token|tokenized|brand|type|fingerprint|hash|hashed|encrypted|enc|cipher|ciphertext|iv|expiry|exp|expires|verified|valid|length|format|regex|pattern|label|placeholder|error|required|field)$/.test(x))) return undefined;
  if (w.some((x) => /^(cvv|cvc|cvv2|cvc2|csc|cid)$/.test(x)) || (w.includes('card') && w.includes('security') && w.includes('code'))) return 'cvv';
  if (w.includes('ssn') || (w.includes('social') && w.includes('security'))) return 'ssn';
  const card = w.some((x) => /^(card|credit|cc|debit)$/.test(x)) || w.includes('cardnumber') || w.includes('ccnumber');
  if (w.includes('cardnumber') || w.includes('ccnumber') || w.includes('pan') && w.length <= 2 || (card && w.some((x) => /^(number|num|no|nr)$/.test(x)))) return 'card';
  if (w.includes('passport') && w.some((x) => /^(number|num|no|nr|id)$/.test(x))) return 'passport';
  if (w.includes('dob') || (w.includes('birth') && w.some((x) => /^(date|day)$/.test(x))) || w.includes('birthdate') || w.includes('birthday')) return 'dob';
  return undefined;
}

const LABEL: Record<Kind, string> = {
  cvv: 'a card security code (CVV/CVC)',
  card: 'a full card number',
  ssn: 'a social security number',
  passport: 'a passport number',
  dob: 'a date of birth',
};

export default defineRule({
  meta: {
    id: 'unencrypted-sensitive-data',
    title: 'Card numbers, CVVs or ID numbers stored as plain text',
    category: 'data',
    severity: 'warning',
    confidence: 'low',
    cwe: [311, 312],
    owasp: 'A02:2021 Cryptographic Failures',
    description: 'Finds highly sensitive personal data written to the database as it came in: card security codes (CVV/CVC, which must never be stored), full card numbers, social security numbers, passport numbers and dates of birth, in Prisma, Supabase, Mongo, Drizzle, Knex and Mongoose/Sequelize writes. CVV storage is always reported; card and social security numbers taken straight from the request are reported at medium confidence, the rest at low.',
    notReported: 'Values that pass through a function on the way (encryption, tokenization, masking), fields that hold only a derived value (`cardLast4`, `cardBrand`, `ssnHash`, `paymentMethodToken`), and browser code. Dates of birth and passport numbers are low confidence: many apps must keep them, and encryption at rest may be done by the database.',
    why: 'These values cannot be changed like a password: a leaked card number and CVV are used for fraud within hours, and a social security or passport number enables identity theft for years. Card rules (PCI DSS) forbid storing the CVV at all and require card numbers to be unreadable when stored; privacy laws expect the same care for ID numbers.',
    fix: 'Do not store card data: let the payment provider (Stripe, Braintree…) collect it and keep only its token and the last four digits. Never store the CVV. For ID numbers you must keep, encrypt the field (e.g. AES-256-GCM with a key from a key manager, or your database\'s column encryption) and store only what you need (often the last four digits).',
    bad: `app.post('/api/payment-methods', async (req, res) => {
  const { cardNumber, cvv, expiry } = req.body;
  await prisma.paymentMethod.create({ data: { userId: req.user.id, cardNumber, cvv, expiry } });
  res.status(201).end();
});`,
    good: `app.post('/api/payment-methods', async (req, res) => {
  const pm = await stripe.paymentMethods.attach(req.body.paymentMethodId, { customer: req.user.stripeCustomerId });
  await prisma.paymentMethod.create({ data: { userId: req.user.id, stripeId: pm.id, last4: pm.card.last4 } });
  res.status(201).end();
});`,
    fixSafety: 'none',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['privacy', 'pci', 'data'],
  },
  create(ctx) {
    if (!SENSITIVE_WORDS.test(ctx.text) && !PAN_WORD.test(ctx.text)) return {};
    if (isBrowserish(ctx)) return {};

    /** Whether the value is stored as it came: a name, a request field, not the result of a function. */
    const plainValue = (expr: ts.Expression, depth = 0): 'request' | 'plain' | undefined => {
      const e = unwrap(expr);
      if (depth > 4) return undefined;
      if (ts.isCallExpression(e)) {
        const n = calleeName(e);
        // trims and conversions keep the value as it is
        if (n && /^(String|trim|toString|replace|replaceAll|toUpperCase|Number|parseInt)$/.test(n)) {
          const inner = n === 'String' || n === 'Number' || n === 'parseInt' ? e.arguments[0] : calleeObject(e);
          return inner ? plainValue(inner, depth + 1) : undefined;
        }
        return undefined;
      }
      if (ts.isAwaitExpression(e) || literalText(e) !== undefined || e.kind === ts.SyntaxKind.NullKeyword || ts.isObjectLiteralExpression(e) || ts.isArrayLiteralExpression(e)) return undefined;
      if (ts.isIdentifier(e)) {
        if (e.text === 'undefined') return undefined;
        const b = ctx.taint.scopes.resolve(e);
        if (b && ts.isVariableDeclaration(b) && b.initializer) return plainValue(b.initializer, depth + 1);
      }
      if (ctx.taint.taintOf(e)) return 'request';
      if (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
        const chain = memberChain(e);
        const last = chain?.[chain.length - 1] ?? '';
        if (nameWords(last).some((x) => /^(encrypted|enc|cipher|ciphertext|token|masked|hash|hashed)$/.test(x))) return undefined;
        return 'plain';
      }
      return undefined;
    };

    const visit = (call: ts.CallExpression | ts.NewExpression) => {
      const write = dbWriteOf(ctx, call);
      if (!write) return;
      for (const obj of write.payloads) {
        for (const p of obj.properties) {
          const key = ts.isShorthandPropertyAssignment(p) ? p.name.text : ts.isPropertyAssignment(p) ? propertyNameText(p.name) : undefined;
          if (!key) continue;
          const kind = kindOf(key);
          if (!kind) continue;
          const value = ts.isShorthandPropertyAssignment(p) ? p.name : (p as ts.PropertyAssignment).initializer;
          const plain = plainValue(value);
          if (kind === 'cvv') {
            // PCI DSS forbids storing the CVV at all, encrypted or not: any non-empty value counts
            const e = unwrap(value);
            if (e.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(e) && e.text === 'undefined') || literalText(e) === '') continue;
          } else if (!plain) continue;
          let confidence: Confidence = 'low';
          if (kind === 'cvv') confidence = 'medium';
          else if ((kind === 'card' || kind === 'ssn') && plain === 'request') confidence = 'medium';
          if (ctx.facts.testFile) confidence = 'low';
          ctx.report({
            node: p,
            confidence,
            message: kind === 'cvv'
              ? `\`${write.label}\` stores \`${key}\`, ${LABEL[kind]}. Card rules (PCI DSS) forbid storing it at all, even encrypted, and a leak of card numbers with their CVVs is used for fraud at once. Let the payment provider (Stripe, Braintree…) collect card details and keep only its token.`
              : `\`${write.label}\` stores \`${key}\`, ${LABEL[kind]}, as plain text: a database leak or backup copy exposes it, and it cannot be changed like a password. ${kind === 'card' ? 'Keep card numbers with the payment provider and store only its token and the last four digits.' : 'Encrypt the field (AES-256-GCM with a key from a key manager, or column encryption), or store only what you need (e.g. the last four digits).'}`,
          });
        }
      }
    };
    // a call is a write only by one of its names (dbWriteOf); a `new` by its class, whatever its name
    return { CallExpression: sameVisitor(DB_WRITE_CALLS, visit), NewExpression: visit };
  },
});
