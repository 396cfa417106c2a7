/**
 * Findings that only the repository's history can give: a `.env` or private key file that git tracks or that
 * any commit ever added (rules `secret-file-in-git`), and a secret that a commit added to a file and that is no
 * longer in that file (rule `secret-in-git-history`), and a `.env` no ignore rule covers (`env-file-not-ignored`). Runs `git` (see git.ts): trusted folders only.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ShipsafeConfig } from '../config/config';
import { isDotenvName, isExampleFile } from '../files/kinds';
import type { Rule } from '../model/rule';
import { CONFIDENCE_ORDER, type Confidence, type Finding } from '../model/types';
import { findSecrets } from '../secrets/providers';
import { TEST_PATH } from '../secrets/context';
import { LineMap, sha256 } from '../util/text';
import { addedLines, historyPaths, trackedFiles, untrackedUnignoredFiles } from './git';

/** A file whose mere presence in git is the problem: a real `.env` (not an example) or a private key file. */
export function isSecretFileName(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (isDotenvName(name)) return !isExampleFile(path) && !/\.(vault|enc|encrypted|gpg|age|sops)$/i.test(name);
  return /^id_(rsa|dsa|ecdsa|ed25519)$/.test(name) || /\.(pem|key|p8|ppk|p12|pfx|jks|keystore)$/i.test(name);
}

/** Key files hold only public certificates often enough (`cert.pem`): those count only when they hold a private key. */
function holdsPrivateKey(root: string, rel: string): boolean | undefined {
  const name = rel.slice(rel.lastIndexOf('/') + 1);
  if (isDotenvName(name) || /^id_/.test(name) || /\.(p12|pfx|jks|keystore|ppk|p8|key)$/i.test(name)) return true;
  const abs = join(root, rel);
  if (!existsSync(abs)) return undefined; // gone from the work tree: the name decides
  try {
    return /PRIVATE KEY-----/.test(readFileSync(abs, 'utf8').slice(0, 65536));
  } catch {
    return undefined;
  }
}

export interface GitFindingsOptions {
  rules: readonly Rule[];
  config: ShipsafeConfig;
  /** the most commits read from the history (default 2000) */
  maxCommits?: number;
}

function enabled(rules: readonly Rule[], config: ShipsafeConfig, id: string): Rule | undefined {
  const rule = rules.find((r) => r.meta.id === id);
  if (!rule) return undefined;
  const setting = config.rules[id] ?? (rule.meta.defaultEnabled ? rule.meta.severity : 'off');
  return setting === 'off' ? undefined : rule;
}

function finding(rule: Rule, config: ShipsafeConfig, file: string, text: string | undefined, line: number, message: string, confidence: Confidence, key: string): Finding {
  const lines = new LineMap(text ?? '');
  const l = Math.min(Math.max(1, line), lines.lineCount);
  const start = text === undefined ? 0 : lineOffset(text, l);
  const lineEnd = text === undefined ? 0 : (text.indexOf('\n', start) === -1 ? text.length : text.indexOf('\n', start));
  const setting = config.rules[rule.meta.id];
  return {
    ruleId: rule.meta.id, severity: setting && setting !== 'off' ? setting : rule.meta.severity, confidence, message, file,
    range: lines.range(start, lineEnd), cwe: rule.meta.cwe, owasp: rule.meta.owasp,
    fingerprint: sha256(`${rule.meta.id}\u0000${file}\u0000${key}`).slice(0, 32),
  };
}

function lineOffset(text: string, line: number): number {
  let at = 0;
  for (let i = 1; i < line; i++) {
    const nl = text.indexOf('\n', at);
    if (nl === -1) return at;
    at = nl + 1;
  }
  return at;
}

/**
 * Frameworks recommend committing `.env` / `.env.production` with non-secret defaults (Next.js, Vite): a
 * tracked dotenv file is high when it holds something secret-in-file reports or is a `.local` file (never meant
 * for git), medium when it is gone from the tree (its content is unknown here), low otherwise.
 */
function dotenvConfidence(rel: string, text: string | undefined, rules: readonly Rule[], config: ShipsafeConfig): Confidence {
  if (/\.local$/i.test(rel)) return 'high';
  if (text === undefined) return 'medium';
  const check = rules.find((r) => r.meta.id === 'secret-in-file')?.checkFile;
  let secret = false;
  check?.({ path: rel, text, kind: 'dotenv', report: (d) => { if ((d.confidence ?? 'high') !== 'low') secret = true; } });
  void config;
  return secret ? 'high' : 'low';
}

function readText(abs: string): string | undefined {
  try { return readFileSync(abs, 'utf8'); } catch { return undefined; }
}

/** The history findings of the repository at `gitRoot`; paths relative to `root` (the report's folder). */
export async function gitFindings(gitRoot: string, relTo: (abs: string) => string, options: GitFindingsOptions): Promise<Finding[]> {
  const { rules, config } = options;
  const fileRule = enabled(rules, config, 'secret-file-in-git');
  const historyRule = enabled(rules, config, 'secret-in-git-history');
  const out: Finding[] = [];
  const minConf = CONFIDENCE_ORDER[config.minConfidence];
  const ignoreRule = enabled(rules, config, 'env-file-not-ignored');
  // the git commands run side by side (each is a process of its own, ~5-10 ms); their answers are used in order
  const asked = {
    tracked: fileRule ? trackedFiles(gitRoot) : undefined,
    history: fileRule ? historyPaths(gitRoot, options.maxCommits ?? 5000) : undefined,
    untracked: ignoreRule ? untrackedUnignoredFiles(gitRoot) : undefined,
    added: historyRule ? addedLines(gitRoot, options.maxCommits ?? 2000) : undefined,
  };

  if (fileRule) {
    const tracked = new Set(await asked.tracked!);
    const history = await asked.history!;
    const reported = new Set<string>();
    const consider = (rel: string, commit: string | undefined) => {
      if (reported.has(rel) || !isSecretFileName(rel)) return;
      if (holdsPrivateKey(gitRoot, rel) === false) return;
      reported.add(rel);
      const abs = join(gitRoot, rel);
      const name = rel.slice(rel.lastIndexOf('/') + 1);
      const what = isDotenvName(name) ? 'environment file' : 'private key file';
      const isTracked = tracked.has(rel);
      const message = isTracked
        ? `\`${name}\` is committed to git: every key in this ${what} is in the repository and its history, readable by anyone with a clone. Rotate each key in it, then untrack it (\`git rm --cached ${rel}\`) and add it to \`.gitignore\`.`
        : `\`${name}\` was committed to git in ${commit!.slice(0, 12)} and is still in the history, even though it is no longer tracked: rotate every key it ever held (removing the file does not revoke them), and rewrite the history if the repository is shared.`;
      const conf: Confidence = TEST_PATH.test(rel) ? 'low' : what === 'private key file' ? 'high' : dotenvConfidence(rel, readText(abs), rules, config);
      if (CONFIDENCE_ORDER[conf] < minConf) return;
      out.push(finding(fileRule, config, relTo(abs), readText(abs), 1, message, conf, isTracked ? 'tracked' : `history:${commit}`));
    };
    for (const rel of tracked) consider(rel, undefined);
    for (const h of history) if (!tracked.has(h.path)) consider(h.path, h.commit);
  }

  if (ignoreRule) {
    for (const rel of await asked.untracked!) {
      const name = rel.slice(rel.lastIndexOf('/') + 1);
      if (!isDotenvName(name) || isExampleFile(rel) || /\.(vault|enc|encrypted|gpg|age|sops)$/i.test(name)) continue;
      const conf: Confidence = TEST_PATH.test(rel) ? 'low' : 'high';
      if (CONFIDENCE_ORDER[conf] < minConf) continue;
      const abs = join(gitRoot, rel);
      out.push(finding(ignoreRule, config, relTo(abs), readText(abs), 1,
        `\`${name}\` is not covered by \`.gitignore\`, so the next \`git add .\` commits it with every key in it. Add \`.env\` and \`.env*.local\` to \`.gitignore\` now.`,
        conf, 'unignored'));
    }
  }

  if (historyRule) {
    const seen = new Set<string>();
    const current = new Map<string, string | undefined>();
    for (const added of await asked.added!) {
      if (added.text.length < 16 || added.text.length > 20000) continue;
      const matches = findSecrets(added.text, { textScan: true }).filter((m) => !m.provider.publishable && !m.provider.testMode && m.level === 'report');
      for (const m of matches) {
        const key = `${added.path}\u0000${m.value}`;
        if (seen.has(key)) continue;
        seen.add(key);
        if (!current.has(added.path)) current.set(added.path, readText(join(gitRoot, added.path)));
        const now = current.get(added.path);
        if (now !== undefined && now.includes(m.value)) continue; // still in the file: the file checks report it
        const abs = join(gitRoot, added.path);
        const conf: Confidence = TEST_PATH.test(added.path) ? 'low' : 'high';
        if (CONFIDENCE_ORDER[conf] < minConf) continue;
        const gone = now === undefined ? 'the file has been deleted since' : 'it is no longer in the file';
        out.push(finding(historyRule, config, relTo(abs), now, 1,
          `Commit ${added.commit.slice(0, 12)} added a ${m.provider.provider} ${m.provider.label} (\`${m.masked}\`) to this file; ${gone}, but the key stays in the git history for anyone with a clone. Rotate it in the provider's dashboard (removing it from the code does not revoke it).`,
          conf, `${added.commit}:${m.provider.id}:${sha256(m.value).slice(0, 16)}`));
      }
    }
  }
  return out;
}
