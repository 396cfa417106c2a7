import type { Node } from 'web-tree-sitter';
import { positionalArgs } from '../ast';
import { definePythonRule } from '../rule';

const SANITIZERS = new Set(['secure_filename', 'werkzeug.utils.secure_filename', 'safe_join', 'basename', 'os.path.basename']);

export default definePythonRule({
  id: 'path-traversal',
  docs: {
    description: 'In Python, finds file paths built from request data and passed to `open`, Flask `send_file`, `os.remove`, `shutil` functions, `pathlib.Path(…).read_text()` and FastAPI/Starlette `FileResponse`. `send_from_directory`, `safe_join`, `secure_filename` and `os.path.basename` are recognised as safe.',
    bad: '# file: app.py\nfrom flask import Flask, request, send_file\n\napp = Flask(__name__)\n\n@app.get("/download")\ndef download():\n    name = request.args["file"]\n    return send_file(f"uploads/{name}")\n',
    good: '# file: app.py\nfrom flask import Flask, request, send_from_directory\n\napp = Flask(__name__)\n\n@app.get("/download")\ndef download():\n    name = request.args["file"]\n    return send_from_directory("uploads", name)\n',
  },
  create(ctx) {
    const check = (call: Node, what: string) => {
      const arg = positionalArgs(call)[0];
      if (!arg) return;
      const t = ctx.taint.trace(arg, SANITIZERS);
      if (!t) return;
      ctx.report({
        node: arg, confidence: 'high',
        message: `The path given to \`${what}\` comes from request data (\`${t.label}\`): \`../\` in it reaches any file the server can read or write (source code, \`.env\`, keys). Use \`send_from_directory(folder, name)\` or \`werkzeug.utils.safe_join\`, or \`secure_filename(name)\`, and check the result stays inside the folder.`,
        related: [{ node: t.source, message: `Request data enters here (${t.label}) and becomes a file path.` }],
      });
    };
    const q = (call: Node) => ctx.facts.qualify(call.childForFieldName('function')) ?? '';
    return {
      calls: {
        open: (call) => { if (call.childForFieldName('function')?.type === 'identifier' && !ctx.facts.imports.has('open')) check(call, 'open'); },
        send_file: (call) => { if (/^flask|^send_file$/.test(q(call))) check(call, 'send_file'); },
        FileResponse: (call) => { if (/^(fastapi|starlette|django)/.test(q(call))) check(call, 'FileResponse'); },
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
