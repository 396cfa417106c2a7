import type { Node } from 'web-tree-sitter';
import { positionalArgs } from '../ast';
import { definePythonRule } from '../rule';

const SANITIZERS = new Set(['secure_filename', 'werkzeug.utils.secure_filename', 'safe_join', 'basename', 'os.path.basename']);
/** path functions that keep `../` in what they give back */
const PATH_CALLS = new Set(['abspath', 'normpath', 'realpath', 'expanduser', 'Path', 'PurePath', 'PurePosixPath', 'joinpath', 'with_name', 'with_suffix', 'resolve', 'absolute', 'fspath']);

export default definePythonRule({
  id: 'path-traversal',
  docs: {
    description: 'In Python, finds file paths built from request data and passed to `open`, Flask `send_file`, `os.remove`, `shutil` functions, `pathlib.Path(…).read_text()` and FastAPI/Starlette/aiohttp `FileResponse`. A path that gets the request value only through a call of your own (a record looked up by an id, then its stored path) is low. `send_from_directory`, `safe_join`, `secure_filename` and `os.path.basename` are recognised as safe, and so is the `.name` of a Django upload (Django keeps only its base name).',
    bad: '# file: app.py\nfrom flask import Flask, request, send_file\n\napp = Flask(__name__)\n\n@app.get("/download")\ndef download():\n    name = request.args["file"]\n    return send_file(f"uploads/{name}")\n',
    good: '# file: app.py\nfrom flask import Flask, request, send_from_directory\n\napp = Flask(__name__)\n\n@app.get("/download")\ndef download():\n    name = request.args["file"]\n    return send_from_directory("uploads", name)\n',
  },
  create(ctx) {
    const check = (call: Node, what: string) => {
      const arg = positionalArgs(call)[0];
      if (!arg) return;
      // the request value itself, joined or formatted into the path: high
      const direct = ctx.taint.trace(arg, { stop: SANITIZERS, strict: true, pass: PATH_CALLS, uploadNames: true });
      // only through a call of your own (`get_restricted_job(user, pk).output_dir`, `_cover_from_track(id)`): such calls
      // mostly look a record up by the value and give back a path stored on the server: low
      const t = direct ?? ctx.taint.trace(arg, { stop: SANITIZERS, uploadNames: true });
      if (!t) return;
      const fix = 'Use `send_from_directory(folder, name)` or `werkzeug.utils.safe_join`, or `secure_filename(name)`, and check the result stays inside the folder.';
      ctx.report({
        node: arg, confidence: direct ? 'high' : 'low',
        message: direct
          ? `The path given to \`${what}\` comes from request data (\`${t.label}\`): \`../\` in it reaches any file the server can read or write (source code, \`.env\`, keys). ${fix}`
          : `The path given to \`${what}\` comes from a call that received request data (\`${t.label}\`). If that call builds the path from the value (rather than looking a record up by it), \`../\` in it reaches any file the server can read or write. ${fix}`,
        related: [{ node: t.source, message: `Request data enters here (${t.label}) and becomes a file path.` }],
      });
    };
    const q = (call: Node) => ctx.facts.qualify(call.childForFieldName('function')) ?? '';
    return {
      calls: {
        open: (call) => { if (call.childForFieldName('function')?.type === 'identifier' && !ctx.facts.imports.has('open')) check(call, 'open'); },
        send_file: (call) => { if (/^flask|^send_file$/.test(q(call))) check(call, 'send_file'); },
        // Django's FileResponse takes an open file (the `open` call is checked), and streams a string as the body
        FileResponse: (call) => { if (/^(fastapi|starlette|aiohttp)/.test(q(call))) check(call, 'FileResponse'); },
        remove: (call) => { if (/^os\.remove$/.test(q(call))) check(call, 'os.remove'); },
        unlink: (call) => { if (/^os\.unlink$/.test(q(call))) check(call, 'os.unlink'); },
        rmtree: (call) => { if (/^shutil\.rmtree$/.test(q(call))) check(call, 'shutil.rmtree'); },
        Path: (call) => {
          // Path(user).read_text() / .open() / .unlink()
          if (!/^pathlib\.Path$/.test(q(call))) return;
          const use = call.parent?.type === 'attribute' ? call.parent.childForFieldName('attribute')?.text : undefined;
          if (use && /^(read_text|read_bytes|write_text|write_bytes|open|unlink)$/.test(use)) check(call, `Path(…).${use}`);
        },
      },
    };
  },
});
