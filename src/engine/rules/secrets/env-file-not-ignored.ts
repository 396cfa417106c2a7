import { defineRule } from '../../model/rule';

/** Findings come from the project checks (project/git-findings.ts): git lists the untracked files once. */
export default defineRule({
  meta: {
    id: 'env-file-not-ignored',
    title: '.env file that .gitignore does not cover',
    category: 'secrets',
    severity: 'warning',
    confidence: 'high',
    cwe: [538],
    owasp: 'A05:2021 Security Misconfiguration',
    description: 'Finds `.env` files (not `.env.example` and the like) in the work tree that are not committed yet and that no `.gitignore` rule covers, so the next `git add .` commits them. Reads the repository with `git`, so it runs from the command line and in trusted workspaces only.',
    notReported: '`.env.example`, `.env.sample`, `.env.template` and the like, `.env` files already covered by a `.gitignore` rule, and tracked ones (those are `secret-file-in-git`). Nothing in untrusted workspaces, where git is not run.',
    why: '`git add .` and "commit all" buttons pick up every file git does not ignore. One careless commit puts every key in the `.env` into the history of every clone, and then the keys have to be rotated.',
    fix: 'Add `.env` and `.env*.local` (or `.env*` with `!.env.example`) to `.gitignore` before the first commit.',
    bad: `# file: .gitignore
node_modules/
dist/`,
    good: `# file: .gitignore
node_modules/
dist/
.env
.env*.local`,
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
