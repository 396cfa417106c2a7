/**
 * Which non-JavaScript files Shipsafe reads, and as what. JavaScript and TypeScript are parsed (see
 * `languageOf`); every other text file is read by the file checks (secrets in `.env`, YAML, JSON, TOML,
 * INI, XML, shell scripts, Dockerfiles, key files, notes…) according to its kind.
 *
 * Left out on purpose: files that are binary by their extension (images, fonts, archives, databases…),
 * lockfiles (thousands of integrity hashes, resolved URLs and no configuration) and source maps.
 */

export type FileKind =
  | 'dotenv' | 'yaml' | 'json' | 'toml' | 'ini' | 'properties' | 'xml' | 'dockerfile' | 'shell' | 'npmrc' | 'key' | 'text';

const BINARY_EXT = new Set([
  'png', 'jpg', 'jpeg', 'gif', 'webp', 'ico', 'icns', 'bmp', 'tif', 'tiff', 'avif', 'heic', 'psd', 'ai', 'sketch', 'fig', 'xcf',
  'pdf', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'odt', 'ods', 'key', 'numbers', 'pages',
  'zip', 'gz', 'tgz', 'bz2', 'xz', 'zst', '7z', 'rar', 'tar', 'jar', 'war', 'ear', 'apk', 'aab', 'ipa', 'dmg', 'iso', 'deb', 'rpm',
  'exe', 'dll', 'so', 'dylib', 'o', 'a', 'lib', 'obj', 'class', 'pyc', 'pyo', 'wasm', 'node', 'bin', 'dat',
  'woff', 'woff2', 'ttf', 'otf', 'eot',
  'mp3', 'mp4', 'm4a', 'm4v', 'mov', 'avi', 'mkv', 'webm', 'wav', 'ogg', 'oga', 'flac', 'aac', 'opus',
  'sqlite', 'sqlite3', 'db', 'mdb', 'lockb', 'pack', 'idx', 'p12', 'pfx', 'jks', 'keystore', 'der', 'crt', 'cer',
  'glb', 'gltf', 'fbx', 'blend', 'stl', 'usdz', 'unitypackage', 'parquet', 'avro', 'orc', 'onnx', 'pt', 'safetensors', 'h5', 'pkl', 'npy',
]);

const LOCKFILES = new Set([
  'package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lock', 'composer.lock', 'gemfile.lock',
  'poetry.lock', 'cargo.lock', 'go.sum', 'pipfile.lock', 'uv.lock', 'flake.lock', 'packages.lock.json', 'deno.lock',
]);

/** Folders web frameworks and servers publish as they are (Next.js/Vite `public/`, SvelteKit/Hugo `static/`, IIS `wwwroot/`…). */
export const PUBLIC_DIR = /(^|\/)(public|static|wwwroot|htdocs|public_html|www)\//i;

/** Names of private key files that carry no telling extension. */
const KEY_FILE = /^(id_(rsa|dsa|ecdsa|ed25519)(_sk)?|.*\.(pem|key|p8|ppk|asc|gpg|pgp|jwk))$/i;

function base(path: string): string {
  const p = path.replace(/\\/g, '/');
  return p.slice(p.lastIndexOf('/') + 1);
}

/** True for a dotenv file: `.env`, `.env.local`, `.env.production`, `prod.env`, `.env.example`. */
export function isDotenvName(name: string): boolean {
  return /^\.env(\..+)?$/i.test(name) || /\.env$/i.test(name) && name.length > 4;
}

/** `.env.example`, `.env.sample`, `.env.template`, `config.example.yml`: a file that documents settings. */
export function isExampleFile(path: string): boolean {
  return /(^|[./_-])(example|examples|sample|samples|template|tmpl|dist|defaults?)([./_-]|$)/i.test(base(path));
}

/**
 * The kind of a non-JavaScript file Shipsafe reads, or undefined for files it never reads (binary by extension,
 * lockfiles, source maps, declaration files). JavaScript and TypeScript files return undefined here: they are
 * parsed instead (see `languageOf`).
 */
export function fileKindOf(path: string): FileKind | undefined {
  const name = base(path);
  const lower = name.toLowerCase();
  if (!name || LOCKFILES.has(lower)) return undefined;
  if (isDotenvName(name)) return 'dotenv';
  if (/^(dockerfile|containerfile)(\..+)?$/i.test(name) || lower.endsWith('.dockerfile')) return 'dockerfile';
  if (/^\.(npmrc|yarnrc|pypirc|netrc|git-credentials|pgpass|dockercfg|s3cfg|boto|htpasswd)$/.test(lower) || lower === '_netrc') return 'npmrc';
  if (lower === '.envrc' || lower === '.profile' || /^\.(bash|zsh)(rc|_profile|env)$/.test(lower)) return 'shell';
  if (KEY_FILE.test(name)) return 'key';
  const dot = lower.lastIndexOf('.');
  const ext = dot > 0 ? lower.slice(dot + 1) : dot === 0 ? lower.slice(1) : '';
  if (/\.(js|cjs|mjs|jsx|ts|cts|mts|tsx)$/.test(lower)) return undefined;
  // source maps are read only where a web server publishes them (rule public-sensitive-file); SARIF reports are
  // tool output that quotes rule docs and code
  if (ext === 'map') return PUBLIC_DIR.test(path.replace(/\\/g, '/')) ? 'text' : undefined;
  if (ext === 'sarif' || BINARY_EXT.has(ext)) return undefined;
  switch (ext) {
    case 'yml': case 'yaml': return 'yaml';
    case 'json': case 'jsonc': case 'json5': case 'webmanifest': return 'json';
    case 'toml': return 'toml';
    case 'ini': case 'cfg': case 'conf': case 'cnf': case 'editorconfig': return 'ini';
    case 'properties': return 'properties';
    case 'xml': case 'config': case 'csproj': case 'plist': case 'xcconfig': return 'xml';
    case 'sh': case 'bash': case 'zsh': case 'ksh': case 'fish': case 'ps1': case 'psm1': case 'bat': case 'cmd': return 'shell';
    default: return 'text';
  }
}
