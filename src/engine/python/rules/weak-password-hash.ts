import type { Node } from 'web-tree-sitter';
import { enclosingClass, enclosingFunction, positionalArgs, stringValue } from '../ast';
import { definePythonRule } from '../rule';

const PASSWORD = /(^|_|\b)(pass(word|wd|phrase)?|pwd|pw)(_|$|\b)/i;

/** The names a hashed value mentions: `password`, `user.password`, `data["password"]`, `pw.encode()`. */
function mentionsPassword(n: Node): boolean {
  for (const id of [n, ...n.descendantsOfType(['identifier', 'string'])]) {
    if (!id) continue;
    const t = id.type === 'string' ? stringValue(id) ?? '' : id.type === 'identifier' ? id.text : '';
    if (t && PASSWORD.test(t) && !/reset|hint|policy|length|expire|changed|field/i.test(t)) return true;
  }
  return false;
}

const HASH_NAME = /hash|digest|pass|pwd|pw\b|secret|credential/i;

/**
 * Whether the hash is kept or checked as a password hash: assigned to an attribute, item or hash-named variable,
 * compared, or returned from a function that hashes or checks passwords. A digest computed for something else (the
 * k-anonymity prefix of a breached-password lookup) is not.
 */
function stored(call: Node): boolean {
  let n: Node = call;
  // through .hexdigest() / .digest() / .encode()
  while (n.parent && (n.parent.type === 'attribute' || n.parent.type === 'call' || n.parent.type === 'parenthesized_expression')) n = n.parent;
  const p = n.parent;
  if (!p) return false;
  if (p.type === 'comparison_operator') return true;
  if (p.type === 'assignment') {
    const left = p.childForFieldName('left');
    if (left?.type === 'attribute' || left?.type === 'subscript') return true;
    return !!left && HASH_NAME.test(left.text);
  }
  if (p.type === 'return_statement') {
    const f = enclosingFunction(p);
    return !!f && /hash|pass|pwd|encode|encrypt|check|verify/i.test(f.childForFieldName('name')?.text ?? '');
  }
  if (p.type === 'keyword_argument' || p.type === 'pair') return HASH_NAME.test((p.childForFieldName('name') ?? p.childForFieldName('key'))?.text ?? '');
  return false;
}

/**
 * A digest a network protocol asks for, kept in a local variable by a function that speaks that protocol over a raw
 * socket (GnuDIP's `md5(password)` answer to the server's salt): the client proves the password, nothing is stored.
 */
function protocolDigest(call: Node): boolean {
  let n: Node = call;
  while (n.parent && (n.parent.type === 'attribute' || n.parent.type === 'call')) n = n.parent;
  if (n.parent?.type !== 'assignment' || n.parent.childForFieldName('left')?.type !== 'identifier') return false;
  const f = enclosingFunction(n);
  return !!f && /\bsocket\.socket\(|\.(sendall|send)\(/.test(f.text) && /\.recv\(|\.connect\(/.test(f.text);
}

export default definePythonRule({
  id: 'weak-password-hash',
  docs: {
    description: 'In Python, finds passwords hashed with a fast hash: `hashlib.md5/sha1/sha256/sha512(password…)` and `hashlib.new("md5", password)`. Use `werkzeug.security.generate_password_hash`, Django\'s `make_password`, `passlib`/`argon2-cffi`/`bcrypt`. A digest a network protocol asks for, computed by a function that talks over a raw socket, is low.',
    bad: '# file: users.py\nimport hashlib\n\ndef store(user, password):\n    user.password_hash = hashlib.sha256(password.encode()).hexdigest()\n',
    good: '# file: users.py\nfrom werkzeug.security import generate_password_hash\n\ndef store(user, password):\n    user.password_hash = generate_password_hash(password)\n',
  },
  create(ctx) {
    const check = (call: Node) => {
      const q = ctx.facts.qualify(call.childForFieldName('function')) ?? '';
      const m = /^hashlib\.(md5|sha1|sha224|sha256|sha384|sha512|sha3_256|sha3_512|blake2b|blake2s|new)$/.exec(q);
      if (!m) return;
      const args = positionalArgs(call);
      const data = m[1] === 'new' ? args[1] : args[0];
      if (!data || !mentionsPassword(data)) return;
      const algo = m[1] === 'new' ? stringValue(args[0]) : m[1];
      // hashlib.new(method, …) with a method chosen elsewhere: not known to be a fast hash
      if (!algo) return;
      // a password hasher class (Django's legacy SHA1/MD5 hashers) implements the old format on purpose, to read old hashes
      const cls = enclosingClass(call);
      const legacyHasher = !!cls && /Hasher\b/.test(cls.childForFieldName('superclasses')?.text ?? '');
      ctx.report({
        node: call, ...(legacyHasher || !stored(call) || protocolDigest(call) ? { confidence: 'low' as const } : {}),
        message: `The password is hashed with ${algo}, which is built to be fast: a leaked table of these is cracked at billions of guesses per second${m[1] === 'md5' || m[1] === 'sha1' ? ', and identical passwords give identical hashes' : ''}. Use a slow, salted password hash: \`werkzeug.security.generate_password_hash\`, Django's \`make_password\`, or argon2/bcrypt.`,
      });
    };
    const calls: Record<string, (n: Node) => void> = {};
    for (const n of ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'sha3_256', 'sha3_512', 'blake2b', 'blake2s', 'new']) calls[n] = check;
    return { calls };
  },
});
