import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule } from '../../model/rule';
import { memberChain, propertyNameText } from '../../util/ast';
import { resolveString } from '../../util/resolve-values';
import { textPrefilter } from '../../util/text-words';

/** the pre-filter's expression, asked only of a text that holds one of these words (util/text-words.ts) */
const TLS_OPTIONS = textPrefilter(/minVersion|maxVersion|secureProtocol|ciphers|DEFAULT_M(IN|AX)_VERSION/, ['minVersion', 'maxVersion', 'secureProtocol', 'ciphers', 'DEFAULT_MIN_VERSION', 'DEFAULT_MAX_VERSION']);

const WEAK_VERSIONS = new Set(['SSLv2', 'SSLv3', 'TLSv1', 'TLSv1.0', 'TLSv1.1']);
const WEAK_METHOD = /^(SSLv2|SSLv3|TLSv1|TLSv1_1)(_client|_server)?_method$/;
/** OpenSSL cipher-string words that enable broken ciphers (when not excluded with `!` or `-`). */
const WEAK_CIPHER_WORD = /^(RC4|RC2|DES|3DES|MD5|NULL|ENULL|ANULL|EXPORT|EXP|EXPORT40|EXPORT56|LOW|ADH|AECDH|IDEA|SEED|PSK-NULL)$/i;

/** The weak ciphers an OpenSSL cipher string switches on; empty when it only excludes them. */
export function weakCiphers(list: string): string[] {
  if (!/^[A-Za-z0-9!+\-@=:_,.\s]+$/.test(list)) return [];
  const out: string[] = [];
  for (const raw of list.split(/[:,\s]+/)) {
    const tok = raw.trim();
    if (!tok || tok.startsWith('!') || tok.startsWith('-') || tok.startsWith('+')) continue;
    if (/^@SECLEVEL=0$/i.test(tok)) { out.push(tok); continue; }
    if (tok.startsWith('@')) continue;
    const parts = tok.split('-');
    if (parts.some((p) => WEAK_CIPHER_WORD.test(p)) || /^(ENULL|ANULL)$/i.test(tok)) out.push(tok);
  }
  return out;
}

import { tryFixes } from '../../fixes/edits';
import { tlsVersionFixes } from '../../fixes/config';

export default defineRule({
  meta: {
    id: 'weak-tls-version',
    title: 'Outdated TLS version or broken cipher allowed',
    category: 'config',
    severity: 'warning',
    confidence: 'medium',
    cwe: [326, 327],
    owasp: 'A02:2021 Cryptographic Failures',
    description: 'Finds TLS options that allow SSLv3, TLS 1.0 or TLS 1.1 (`minVersion`, `maxVersion`, `secureProtocol: \'TLSv1_method\'`, `tls.DEFAULT_MIN_VERSION`) or cipher lists that enable RC4, DES/3DES, NULL, EXPORT or anonymous ciphers.',
    notReported: 'Options that only raise the minimum version, and cipher lists that exclude the weak ciphers with `!RC4`, `!aNULL` and the like.',
    why: 'SSLv3, TLS 1.0 and 1.1 and ciphers such as RC4, 3DES and EXPORT have known practical attacks (POODLE, BEAST, SWEET32, FREAK). Allowing them lets an attacker on the network push a connection down to the weak option and then decrypt or tamper with it. Every current browser and client supports TLS 1.2+ with modern ciphers.',
    fix: 'Remove the version and cipher overrides so Node uses its secure defaults, or set `minVersion: \'TLSv1.2\'`. If an old device really needs TLS 1.0, serve it from a separate, isolated endpoint.',
    bad: `import https from 'node:https';
https.createServer({ key, cert, minVersion: 'TLSv1' }, app).listen(443);`,
    good: `import https from 'node:https';
https.createServer({ key, cert, minVersion: 'TLSv1.2' }, app).listen(443);`,
    fixSafety: 'suggestion',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['tls', 'crypto', 'config'],
  },
  create(ctx) {
    if (!TLS_OPTIONS.test(ctx.text)) return {}; // cheap pre-filter: none of the options this rule looks at
    const confidence = () => (ctx.facts.testFile ? 'low' as const : 'medium' as const);
    const versionMessage = (what: string, v: string) => `\`${what}: '${v}'\` lets connections use ${v.replace('TLSv1.0', 'TLSv1')}, which has known attacks (BEAST, POODLE) that let someone on the network decrypt traffic. Use \`minVersion: 'TLSv1.2'\` (Node's default) or remove the override.`;

    return {
      PropertyAssignment(p) {
        const key = propertyNameText(p.name);
        if (!key) return;
        if (key === 'minVersion' || key === 'maxVersion') {
          const v = resolveString(ctx, p.initializer);
          if (v && WEAK_VERSIONS.has(v)) ctx.report({ node: p, confidence: confidence(), message: key === 'maxVersion'
            ? `\`maxVersion: '${v}'\` caps connections at an outdated protocol with known attacks (BEAST, POODLE), so every connection uses it. Remove the cap (Node negotiates TLS 1.3) or set it to 'TLSv1.3'.`
            : versionMessage(key, v), fixes: key === 'minVersion' ? tryFixes(() => tlsVersionFixes(ctx, p)) : undefined });
          return;
        }
        if (key === 'secureProtocol') {
          const v = resolveString(ctx, p.initializer);
          if (v && WEAK_METHOD.test(v)) ctx.report({ node: p, confidence: confidence(),
            message: `\`secureProtocol: '${v}'\` pins connections to ${/^TLSv1_1/.test(v) ? 'TLS 1.1' : /^TLSv1/.test(v) ? 'TLS 1.0' : /^SSLv3/.test(v) ? 'SSL 3.0' : 'SSL 2.0'}, an outdated protocol with known attacks. Remove it and use \`minVersion: 'TLSv1.2'\` instead.` });
          return;
        }
        if (key === 'ciphers') {
          const v = resolveString(ctx, p.initializer);
          if (!v) return;
          const weak = weakCiphers(v);
          if (!weak.length) return;
          ctx.report({ node: p, confidence: confidence(),
            message: `The cipher list enables broken ciphers (${weak.slice(0, 3).map((w) => `\`${w}\``).join(', ')}${weak.length > 3 ? ', …' : ''}) that can be decrypted or downgraded by someone on the network. Remove the \`ciphers\` override to use Node's defaults, or exclude them (\`!RC4:!DES:!3DES:!NULL:!EXPORT\`).` });
        }
      },
      BinaryExpression(b) {
        if (b.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return;
        const chain = memberChain(b.left)?.join('.');
        if (chain !== 'tls.DEFAULT_MIN_VERSION' && chain !== 'tls.DEFAULT_MAX_VERSION') return;
        const v = resolveString(ctx, b.right);
        if (v && WEAK_VERSIONS.has(v)) ctx.report({ node: b, confidence: confidence(), message: `\`${chain} = '${v}'\` lets every TLS connection in this process fall back to an outdated protocol with known attacks. Remove it (Node defaults to TLS 1.2 and up).` });
      },
    };
  },
});
