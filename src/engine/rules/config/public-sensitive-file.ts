import { defineRule } from '../../model/rule';
import type { Confidence } from '../../model/types';
import { isDotenvName, isExampleFile, PUBLIC_DIR } from '../../files/kinds';

interface Kind { re: RegExp; what: string; confidence: Confidence }

/** What a file in a published folder is, by its name; the first match wins. */
const KINDS: Kind[] = [
  { re: /\.(sql|dump|psql|pgsql|mysql)$/i, what: 'a database dump', confidence: 'high' },
  { re: /\.(bak|backup|bkp|save|old|orig|swp|swo)$|~$/i, what: 'a backup or editor copy of a file', confidence: 'high' },
  { re: /(^|\/)\.(htpasswd|git-credentials|npmrc|pgpass|netrc)$|\.(pem|key|ppk)$|(^|\/)id_(rsa|dsa|ecdsa|ed25519)$/i, what: 'a credentials or key file', confidence: 'high' },
  { re: /\.log$/i, what: 'a log file', confidence: 'medium' },
  { re: /\.map$/i, what: 'a source map', confidence: 'medium' },
];

export default defineRule({
  meta: {
    id: 'public-sensitive-file',
    title: 'Backup, dump, key or source map in a published folder',
    category: 'config',
    severity: 'warning',
    confidence: 'high',
    cwe: [530, 538, 540],
    owasp: 'A05:2021 Security Misconfiguration',
    description: 'Finds files in folders a web server publishes as they are (`public/`, `static/`, `wwwroot/`, `htdocs/`, `public_html/`, `www/`) that should never be downloadable: database dumps (`.sql`, `.dump`), backups and editor copies (`.bak`, `.old`, `.orig`, `.swp`, `~`), `.env` files, keys and credential files (`.pem`, `.htpasswd`, `.npmrc`), log files, and source maps (medium confidence: some sites publish maps on purpose). Only text files are read; binary archives and databases are not looked at.',
    notReported: 'Binary archives and databases (not read), files outside the folders a server publishes as they are, and source maps only at medium confidence, since some sites publish them on purpose.',
    why: 'Everything in a published folder is one URL away, and scanners try `/backup.sql`, `/.env` and `/main.js.map` on every site they find. A dump hands over the database, a backup copy the server code and its secrets, a map the original source.',
    fix: 'Move the file out of the published folder (and out of the repository if it holds data or secrets), rotate any key it held, and add the pattern to `.gitignore` so the next export does not land there again.',
    bad: `# file: public/backup-2024-05-01.sql
INSERT INTO users (email, password_hash) VALUES ('ana@shop.example', '$2b$12$…');`,
    good: `# file: scripts/seed.sql
INSERT INTO products (name, price) VALUES ('Mug', 12);`,
    fixSafety: 'none',
    languages: [],
    defaultEnabled: true,
    tags: ['config', 'data-exposure'],
  },
  create() {
    return {};
  },
  checkFile(ctx) {
    const path = ctx.path.replace(/\\/g, '/');
    const m = PUBLIC_DIR.exec(path);
    if (!m) return;
    // `node_modules/x/public/…` or a package's own test data is not the app's published folder
    if (/(^|\/)(node_modules|test|tests|__tests__|fixtures?)\//.test(path.slice(0, m.index + m[0].length))) return;
    const name = path.slice(path.lastIndexOf('/') + 1);
    let kind: Kind | undefined;
    if (isDotenvName(name) && !isExampleFile(name)) kind = { re: /./, what: 'an environment file', confidence: 'high' };
    else kind = KINDS.find((k) => k.re.test(name));
    if (!kind) return;
    const firstLineEnd = ctx.text.indexOf('\n');
    const end = firstLineEnd === -1 ? ctx.text.length : firstLineEnd;
    const folder = m[2];
    ctx.report({
      range: { start: 0, end: Math.min(end, 200) },
      message: `\`${name}\` is ${kind.what} inside \`${folder}/\`, which the web server publishes as it is: anyone can download it from \`/${path.slice(m.index + m[0].length)}\`. Move it out of \`${folder}/\`${kind.what.includes('map') ? ' (or build hidden maps for your error tracker)' : ', rotate any key it held'} and add it to \`.gitignore\`.`,
      confidence: kind.confidence,
    });
  },
});
