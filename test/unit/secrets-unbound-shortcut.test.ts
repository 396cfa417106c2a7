/**
 * The literal checks of hardcoded-secret and client-exposed-secret stop at once on a literal that is not bound (no
 * secret-looking name, not a call argument) and in whose text no catalog entry with a keyword of the text has a
 * match (noSecretUnbound): the catalog must then find nothing in it, whatever the names and modules around it and
 * with every entry asked (`unindexed`). Compared on every string literal and line of the fixtures and test projects,
 * with their own names and with names and modules that mention every provider, and on crafted and random texts;
 * literalUnbound / literalCallArgument must give literalContext's answers; isSecretName (its answers kept by name)
 * the full test's; KeywordSet.hasAny indicesIn's.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ts } from 'ts-morph';
import { parse } from '../../src/engine/analyze';
import { collectFacts } from '../../src/engine/facts';
import { isStructuralLiteral, literalCallArgument, literalContext, literalUnbound } from '../../src/engine/secrets/context';
import { KeywordSet } from '../../src/engine/secrets/keyword-scan';
import { candidatesBothWays, contextsAllowed, findSecrets, LOWERS_TO_ASCII, isSecretName, isSecretNameUngated, noSecretUnbound, PROVIDERS, type MatchOptions } from '../../src/engine/secrets/providers';
import { boundName } from '../../src/engine/util/ast';
import { allFilesUnder, namesInSources, stringLiteralsOf } from '../helpers/fixtures';

const root = join(__dirname, '..', '..');
const sources = () => [...allFilesUnder(join(root, 'test', 'fixtures')), ...allFilesUnder(join(root, 'test', 'projects'))];

/** names and modules that mention every provider of the catalog (its ids, names, env vars) and secret words */
const EVERY_NAME = [...new Set(PROVIDERS.flatMap((p) => [p.id, p.provider, p.envVar, p.label]))].join(' ') + ' secret apiKey token password auth key masterKey adminKey';
const EVERY_MODULE = 'stripe @clerk/nextjs @google/generative-ai openai twilio @supabase/supabase-js firebase aws-sdk @aws-sdk/client-s3 mailgun.js postmark algoliasearch';

/** every way an unbound value can be asked (names or none, modules, each entry asked or the index) */
const UNBOUND_ASKS: MatchOptions[] = [
  {}, { unindexed: true },
  { names: '', modules: '', bound: false }, { names: '', modules: '', bound: false, unindexed: true },
  { names: EVERY_NAME, modules: EVERY_MODULE, bound: false }, { names: EVERY_NAME, modules: EVERY_MODULE, bound: false, unindexed: true },
  { names: EVERY_NAME, modules: '', bound: false, unindexed: true }, { names: 'gemini clerk', modules: EVERY_MODULE, bound: false, unindexed: true },
  { textScan: true }, { first: true, names: EVERY_NAME, modules: EVERY_MODULE, unindexed: true },
];

function checkText(text: string, where: string, own?: MatchOptions): boolean {
  const none = noSecretUnbound(text);
  if (!none) return false;
  for (const opts of own ? [own, { ...own, unindexed: true }, ...UNBOUND_ASKS] : UNBOUND_ASKS) {
    const found = findSecrets(text, opts);
    assert.equal(found.length, 0, `${where}: noSecretUnbound, but ${found.map((m) => m.provider.id).join(', ')} found with ${JSON.stringify({ ...opts, names: opts.names?.slice(0, 40) })}`);
  }
  return true;
}

/** a random text: pieces of keys, keywords, words and characters of many kinds */
function randomTexts(n: number, seed: number): string[] {
  let s = seed >>> 0;
  const rnd = () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
  const keywords = [...new Set(PROVIDERS.flatMap((p) => p.keywords))];
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.:/+=~ ';
  const pieces = ['sk_live_', 'pk_test_', 'AKIA', 'ghp_', 'xoxb-', 'AIza', 'eyJ', 'https://', 'postgres://', '@', ':', 'Passwort ', 'Контраст ', '密码 ', 'İ', 'K', 'ſ'];
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    let t = '';
    const len = 6 + Math.floor(rnd() * 90);
    while (t.length < len) {
      const r = rnd();
      if (r < 0.15) t += keywords[Math.floor(rnd() * keywords.length)];
      else if (r < 0.25) t += pieces[Math.floor(rnd() * pieces.length)];
      else if (r < 0.35) t += keywords[Math.floor(rnd() * keywords.length)].toUpperCase();
      else { const k = 4 + Math.floor(rnd() * 50); for (let j = 0; j < k; j++) t += alphabet[Math.floor(rnd() * (rnd() < 0.5 ? 62 : alphabet.length))]; }
    }
    out.push(t);
  }
  return out;
}

describe('secrets: the shortcut for literals that are not bound', () => {
  it('is never taken where the catalog finds something, on every literal and line of the fixtures and test projects', () => {
    let texts = 0, taken = 0, literals = 0, shortcut = 0;
    for (const file of sources()) {
      const text = readFileSync(file, 'utf8');
      if (text.includes('\u0000')) continue;
      for (const line of text.split('\n')) {
        if (line.length < 16) continue;
        texts++;
        if (checkText(line, `${file}: ${line.slice(0, 80)}`)) taken++;
      }
      const of = stringLiteralsOf(file, text);
      for (const n of of?.literals ?? []) {
        literals++;
        const lc = literalContext(n, of!.facts);
        const name = boundName(n);
        // the parts of literalContext the rules read instead of it
        assert.equal(lc.name, name, `${file}: ${n.text.slice(0, 60)}`);
        assert.equal(literalCallArgument(n), lc.callArgument, `${file}: ${n.text.slice(0, 60)} (call argument)`);
        assert.equal(literalUnbound(n, name), !lc.bound, `${file}: ${n.text.slice(0, 60)} (bound)`);
        if (!lc.bound && checkText(n.text, `${file}: ${n.text.slice(0, 80)} (${lc.names})`, { names: lc.names, modules: lc.modules, bound: false })) {
          if (!isStructuralLiteral(n) && n.text.length >= 16) shortcut++;
          // and the rules' next test, the name, says no (hardcoded-secret returns there)
          assert.ok(!lc.name || !isSecretName(lc.name), `${file}: ${n.text.slice(0, 60)}`);
        }
      }
    }
    // the comparison saw many texts, and the shortcut was taken on most, but not all
    assert.ok(texts > 10_000 && literals > 5_000, `${texts} lines, ${literals} literals`);
    assert.ok(taken > texts / 4 && taken < texts, `taken on ${taken} of ${texts} lines`);
    assert.ok(shortcut > 100, `taken on ${shortcut} literals`);
  });

  it('is never taken where the catalog finds something, on crafted and random texts', () => {
    const crafted = [
      'sk_live_51NqShipsafeDemo0Key4Docs9vRtW2xLmP8aQz', 'AKIAIOSFODNN7EXAMPLQ', 'ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8',
      'AIzaSyD-1234567890abcdefghijklmnopqrstu', '1/1204958372615049:9f3a7c1e5b2d4f6a8c0e1b3d5f7a9c2e',
      'postgres://admin:S3cr3tPassw0rd@db.internal:5432/app', 'mongodb+srv://user:hunter2hunter2@cluster0.abcde.mongodb.net',
      'Dein Account wurde deaktiviert', 'Falls das ein Fehler war, kontaktiere bitte deinen Administrator.',
      'Hinweis: der Schlüssel ist ungültig', 'Passwort-Token zurücksetzen', 'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx',
      '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC\n-----END PRIVATE KEY-----',
      'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX', 'AC' + 'a'.repeat(32), 'SK' + '0123456789abcdef'.repeat(2),
    ];
    let taken = 0, found = 0;
    for (const text of [...crafted, ...randomTexts(4000, 7)]) {
      if (checkText(text, JSON.stringify(text))) taken++;
      else if (findSecrets(text, { unindexed: true }).length) found++;
    }
    assert.ok(taken > 100 && found > 10, `taken on ${taken}, ${found} with a match`);
  });

  it('answers as literalContext for the value of a fallback, a wrapper and a call argument', () => {
    const code = `
      const a = process.env.A || 'fallback-value-long-enough';
      const b = ('wrapped-value-long-enough' as string);
      call('argument-value-long-enough');
      new Thing(('argument-value-wrapped-long' as any));
      call(x ?? 'fallback-argument-long-enough');
      const apiKey = 'value-under-a-secret-name';
      obj.password = 'value-assigned-to-secret';
      const c = ['in-an-array-long-enough'];`;
    const sf = parse('/x.ts', code, 'typescript');
    const facts = collectFacts(sf, '/x.ts');
    let n = 0;
    const visit = (node: ts.Node): void => {
      if (ts.isStringLiteral(node)) {
        const lc = literalContext(node, facts);
        assert.equal(literalCallArgument(node), lc.callArgument, node.text);
        assert.equal(literalUnbound(node, boundName(node)), !lc.bound, node.text);
        n++;
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
    assert.equal(n, 8);
  });
});

describe('secrets: the context entries a literal\'s names allow', () => {
  /** every context entry asked in turn (what contextsAllowed answered before it asked the named ones together) */
  const naive = (names: string, modules: string, bound: boolean) => PROVIDERS.flatMap((p, i) => (p.context && (bound || !p.bound) && p.context({ names, modules, bound }) ? [i] : []));
  it('are those every entry\'s own test allows, on the names of every literal of the fixtures and on crafted names', () => {
    const asked: [string, string][] = [];
    for (const file of sources()) {
      const of = stringLiteralsOf(file, readFileSync(file, 'utf8'));
      for (const n of of?.literals ?? []) { const lc = literalContext(n, of!.facts); asked.push([lc.names, lc.modules]); }
    }
    // each provider by its id, name and env var, with and without a secret word, and with its module
    for (const p of PROVIDERS) {
      for (const base of [p.id, p.provider, p.envVar, p.id.replace(/-/g, '_').toUpperCase()]) {
        for (const word of ['', ' secret', ' apiKey', ' token', ' password', 'Pat', ' admin master key', ' client']) asked.push([base + word, ''], [`config ${base}${word} new Client`, EVERY_MODULE]);
      }
    }
    asked.push([EVERY_NAME, EVERY_MODULE], ['', ''], ['token', '@mistralai/mistralai cohere-ai'], ['apiKey', '@mistralai/mistralai'], ['label title', EVERY_MODULE]);
    let allowed = 0;
    for (const [names, modules] of asked) {
      for (const bound of [false, true]) {
        const want = naive(names, modules, bound);
        assert.deepEqual([...contextsAllowed(names, modules, bound)], want, `${names.slice(0, 80)} | ${modules.slice(0, 40)} | ${bound}`);
        allowed += want.length;
      }
    }
    assert.ok(asked.length > 5_000 && allowed > 1_000, `${asked.length} names, ${allowed} entries allowed`);
  });
});

describe('secrets: contexts that ask the names and the modules apart', () => {
  // the contexts as they were written, on the names and modules joined by a space
  const SECRETISH_NAME = /secret|token|pass|pwd|key|auth|credential/i;
  const joined: Record<string, (c: { names: string; modules: string }) => boolean> = {
    'aws-secret-access-key': ({ names, modules }) => /secret.?access.?key/i.test(names) || (/aws/i.test(names + ' ' + modules) && /secret/i.test(names)),
    'heroku-api-key': ({ names, modules }) => /heroku/i.test(names + ' ' + modules),
    'cloudflare-global-api-key': ({ names, modules }) => /cloudflare|\bcf[_-]?(api|auth)|\bcf(Api|Auth)/i.test(names + ' ' + modules),
    'cloudflare-api-token': ({ names, modules }) => /cloudflare|\bcf[_-]?(api|auth)|\bcf(Api|Auth)/i.test(names + ' ' + modules),
    'paypal-client-secret': ({ names, modules }) => /paypal/i.test(names + ' ' + modules) && /secret/i.test(names),
    'twilio-auth-token': ({ names, modules }) => /twilio/i.test(names + ' ' + modules) && /token|secret/i.test(names),
    'mailgun-api-key-v2': ({ names, modules }) => /mailgun/i.test(names + ' ' + modules),
    'postmark-server-token': ({ names, modules }) => /postmark/i.test(names + ' ' + modules) && (SECRETISH_NAME.test(names) || /ServerClient|AccountClient/.test(names)),
    'algolia-admin-key': ({ names, modules }) => /algolia/i.test(names + ' ' + modules) && /admin|write|secret|master/i.test(names),
  };
  it('answer as on the two joined by a space, on pieces of names and modules put together every way', () => {
    const pieces = ['', 'aws', 'AWS_', 'secret', 'Secret', 'secretAccessKey', 'heroku', 'HEROKU', 'cloudflare', 'cf', 'CF_', 'cf_api', 'cfApi', 'Api', 'api', 'auth', 'cfAuth',
      'paypal', 'twilio', 'token', 'mailgun', 'postmark', 'ServerClient', 'algolia', 'admin', 'write', 'x', '_', '-', ' ', '.', '@', '/', 'ku', 'her', 'oku', 'mail', 'gun', 'pay', 'pal'];
    const names: string[] = [];
    for (const a of pieces) for (const b of pieces) names.push(a + b);
    const modules = ['', 'stripe', 'aws-sdk', '@aws-sdk/client-s3', 'cloudflare', 'cf', 'api', 'Api auth', 'heroku-client', 'paypal-rest-sdk twilio', 'mailgun.js', 'postmark', 'algoliasearch', 'ku', 'apiKey', '_api', '-auth', ' cf'];
    let yes = 0, asked = 0;
    for (const [id, before] of Object.entries(joined)) {
      const p = PROVIDERS.find((q) => q.id === id)!;
      assert.ok(p?.context, id);
      for (const n of names) {
        for (const m of modules) {
          const want = before({ names: n, modules: m });
          assert.equal(p.context!({ names: n, modules: m, bound: true }), want, `${id}: ${JSON.stringify(n)} | ${JSON.stringify(m)}`);
          asked++;
          if (want) yes++;
        }
      }
    }
    assert.ok(yes > 1_000 && yes < asked, `${yes} of ${asked}`);
  });
});

describe('secrets: isSecretName keeps its answers by name', () => {
  it('gives the full test\'s answer, asked once and again, on every name of the fixtures, test projects and sources', () => {
    const names = [...namesInSources()];
    for (let round = 0; round < 2; round++) {
      for (const name of names) assert.equal(isSecretName(name), isSecretNameUngated(name), `${name} (round ${round})`);
    }
    // a copy of each name (another string with the same text) gets the same answer
    for (const name of names.slice(0, 2000)) assert.equal(isSecretName((' ' + name).slice(1)), isSecretNameUngated(name), name);
  });
});

describe('secrets: the keyword candidates of a text read without lowercasing it', () => {
  it('rests on this: outside ASCII, only the characters LOWERS_TO_ASCII names lowercase to ASCII or change length', () => {
    let named = 0;
    for (let cp = 0x80; cp <= 0x10ffff; cp++) {
      const s = String.fromCodePoint(cp);
      const l = s.toLowerCase();
      const keeps = l.length === s.length && [...Array(l.length).keys()].every((i) => l.charCodeAt(i) >= 0x80);
      if (LOWERS_TO_ASCII.test(s)) named++;
      else assert.ok(keeps, `U+${cp.toString(16)} lowercases to ${JSON.stringify(l)}`);
    }
    // lone surrogates (halves of a pair written apart) too
    for (let cu = 0xd800; cu <= 0xdfff; cu++) { const l = String.fromCharCode(cu).toLowerCase(); assert.ok(l.length === 1 && l.charCodeAt(0) >= 0x80, `\\u${cu.toString(16)}`); }
    // and in ASCII, A-Z become a-z and nothing else changes
    for (let c = 0; c < 0x80; c++) { const s = String.fromCharCode(c); assert.equal(s.toLowerCase(), c >= 65 && c <= 90 ? String.fromCharCode(c + 32) : s); }
    assert.equal(named, 2);
  });

  it('finds the candidates the lowercase text finds, in the same order, on every line of the fixtures and on crafted and random texts', () => {
    const texts = [...randomTexts(3000, 21), 'İSTANBUL sk_live_x AKIA', 'Kelvin ac sk AC', '\u212aEY-and-some-more-text', 'x\u212aey_\u0130 long enough text', 'ΣΊΣΥΦΟΣ token ghp_ ΑΣ', '𐐀𐐁 SK_LIVE_ 𐐨', 'Straße SK_live_ ghp_ AIZA'];
    for (const file of sources()) {
      const text = readFileSync(file, 'utf8');
      if (!text.includes('\u0000')) texts.push(...text.split('\n').filter((l) => l.length >= 16 && l.length <= 4096));
    }
    let some = 0;
    for (const t of texts) {
      const [asIs, lowered] = candidatesBothWays(t);
      assert.deepEqual(asIs, lowered, JSON.stringify(t.slice(0, 80)));
      if (asIs.length) some++;
    }
    assert.ok(texts.length > 10_000 && some > 1_000, `${texts.length} texts, ${some} with candidates`);
  });
});

describe('KeywordSet.hasAny', () => {
  it('says whether indicesIn finds a keyword, on random texts and keyword sets', () => {
    const catalog = [...new Set(PROVIDERS.flatMap((p) => p.keywords))];
    const sets = [new KeywordSet(catalog), new KeywordSet(catalog, { foldCase: true }), new KeywordSet(['he', 'she', 'his', 'hers']), new KeywordSet(['secret', 'key', 'pass'], { foldCase: true })];
    const out: number[] = [];
    let yes = 0, no = 0;
    for (const text of [...randomTexts(3000, 11), ...randomTexts(2000, 12).map((t) => t.toLowerCase()), '', 'ushers', 'HERS', 'Kelvin', 'SECRET', 'ſecret']) {
      for (const set of sets) {
        set.indicesIn(text, out);
        assert.equal(set.hasAny(text), out.length > 0, JSON.stringify(text));
        if (out.length) yes++; else no++;
      }
    }
    assert.ok(yes > 100 && no > 100, `${yes} with, ${no} without`);
  });
});
