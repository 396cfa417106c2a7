import { isAbsolute, sep } from 'node:path';

/**
 * Whether a path given by `path.relative(base, p)` leads out of `base`: `..`, `../…` or another root. A name that only
 * starts with two dots (`..lib/server.js`) is inside: `rel.startsWith('..')` took such a folder for the parent.
 */
export function leavesBase(rel: string): boolean {
  return rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
}

/** Python tests: `tests/` folders, `test_*.py`, `*_test.py`, Django's `tests.py`, `conftest.py`. */
export const PY_TEST_PATH = /(^|\/)(tests?|testing)\/|(^|\/)(test_[^/]*|[^/]*_tests?|tests?|conftest)\.py$/;

/**
 * Python settings meant for development, tests or documentation (`settings/dev.py`, `local_settings.py`,
 * `docs/examples/settings.py`): a fixed `SECRET_KEY` or `DEBUG = True` there is expected.
 */
export const DEV_SETTINGS_PATH = /(^|\/)(dev|development|local|test|tests|testing|ci)(_settings)?\.py$|(^|\/)settings_(dev|local|test)\.py$|(^|\/)(tests?|testing|docs?|examples?)\//;
