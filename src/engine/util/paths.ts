import { isAbsolute, sep } from 'node:path';

/**
 * Whether a path given by `path.relative(base, p)` leads out of `base`: `..`, `../…` or another root. A name that only
 * starts with two dots (`..lib/server.js`) is inside: `rel.startsWith('..')` took such a folder for the parent.
 */
export function leavesBase(rel: string): boolean {
  return rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
}
