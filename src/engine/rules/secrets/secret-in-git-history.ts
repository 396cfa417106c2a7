import { defineRule } from '../../model/rule';

/** Findings come from the project checks (project/git-findings.ts): the history is read once per repository. */
export default defineRule({
  meta: {
    id: 'secret-in-git-history',
    title: 'Secret removed from a file but still in git history',
    category: 'secrets',
    severity: 'error',
    confidence: 'high',
    cwe: [798, 540],
    owasp: 'A07:2021 Identification and Authentication Failures',
    description: 'Reads the lines commits added (the newest 2,000 commits of every branch) and finds provider keys and tokens that a commit added to a file and that are no longer in that file, or whose file is gone: the finding is on the file and names the commit. Keys still in the file are left to `hardcoded-secret` and `secret-in-file`. Reads the repository with `git`, so it runs from the command line and in trusted workspaces only.',
    notReported: 'Keys still in the file (left to `hardcoded-secret` and `secret-in-file`), commits older than the newest 2,000 of each branch, and values that only look random without a provider\'s format. Nothing in untrusted workspaces, where git is not run.',
    why: 'Removing a key from the code does not revoke it: the commit that added it is in every clone, fork and CI cache, and secret scanners run by attackers read history first. Until the key is rotated it works for whoever finds that commit.',
    fix: 'Rotate the key in the provider\'s dashboard; that is the fix. Rewriting the history (git filter-repo, then a force push) only helps after rotating, and only for clones made afterwards.',
    bad: `# file: terminal
git log -p -- src/config.js   # + const stripe = new Stripe('sk_live_…')  (removed in a later commit, never rotated)`,
    good: `# file: terminal
# the key was rotated in the Stripe dashboard after it was removed; the old value no longer works`,
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
