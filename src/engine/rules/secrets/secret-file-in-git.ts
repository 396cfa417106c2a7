import { defineRule } from '../../model/rule';

/** Findings come from the project checks (project/git-findings.ts): git is asked once per repository. */
export default defineRule({
  meta: {
    id: 'secret-file-in-git',
    title: '.env or private key file committed to git',
    category: 'secrets',
    severity: 'error',
    confidence: 'high',
    cwe: [538, 798],
    owasp: 'A05:2021 Security Misconfiguration',
    description: 'Finds `.env` files (not `.env.example` and the like) and private key files (`id_rsa`, `*.pem` holding a private key, `*.key`, `*.p12`) that git tracks, or that any commit on any branch ever added even if they are gone now. A tracked `.env` counts at high confidence when it holds a value `secret-in-file` reports or is a `.local` file, at low confidence when it only holds defaults (some frameworks commit those). Reads the repository with `git`, so it runs from the command line and in trusted workspaces only.',
    notReported: 'Example env files (`.env.example` and the like), public keys and certificates, and tracked `.env` files that only hold defaults (low: some frameworks commit those). Nothing in untrusted workspaces, where git is not run.',
    why: 'Everything ever committed stays in the history of every clone, fork and CI cache. Deleting the file or adding it to `.gitignore` later hides it from the tree but not from `git log`: the keys it held keep working for whoever finds them until they are rotated.',
    fix: 'Rotate every key the file holds or held, untrack it (`git rm --cached .env`), add it to `.gitignore`, and keep a placeholder-only `.env.example` instead. If the repository is shared, rewrite the history (git filter-repo) after rotating.',
    bad: `# file: terminal
git add .env && git commit -m "config"   # .env holds STRIPE_SECRET_KEY=sk_live_…`,
    good: `# file: terminal
echo ".env" >> .gitignore && git add .gitignore .env.example && git commit -m "config template"`,
    fixSafety: 'none',
    languages: [],
    defaultEnabled: true,
    tags: ['secrets', 'git'],
    scope: 'project',
  },
  create() {
    return {};
  },
});
