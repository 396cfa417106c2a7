import type { Node } from 'web-tree-sitter';
import { definePythonRule } from '../rule';

/** The response-building calls an error can be sent through. */
const RESPONDERS = /^(jsonify|make_response|JSONResponse|HTMLResponse|PlainTextResponse|JsonResponse|HttpResponse|HttpResponseServerError|HTTPException|abort|Response)$/;

export default definePythonRule({
  id: 'verbose-error',
  docs: {
    description: 'In Python request handlers, finds caught exceptions sent back to the client: `return {"error": str(e)}`, `jsonify(error=str(e))`, `HTTPException(detail=str(e))`, and `traceback.format_exc()` in a response, inside `except Exception` (or a bare `except`). Narrow `except` clauses (a validation error you raise yourself) are not reported.',
    bad: '# file: app.py\nfrom flask import Flask, jsonify\n\napp = Flask(__name__)\n\n@app.post("/orders")\ndef create_order():\n    try:\n        return jsonify(place_order())\n    except Exception as e:\n        return jsonify({"error": str(e)}), 500\n',
    good: '# file: app.py\nimport logging\n\nfrom flask import Flask, jsonify\n\napp = Flask(__name__)\n\n@app.post("/orders")\ndef create_order():\n    try:\n        return jsonify(place_order())\n    except Exception:\n        logging.exception("order failed")\n        return jsonify({"error": "Something went wrong"}), 500\n',
  },
  create(ctx) {
    /** `except Exception as e:` / `except:` → the bound name ('' for a bare except) */
    const broadExcept = (n: Node): { name: string; clause: Node } | undefined => {
      for (let p: Node | null = n.parent; p; p = p.parent) {
        if (p.type === 'function_definition') return undefined;
        if (p.type !== 'except_clause') continue;
        const head = p.namedChildren.find((c) => c?.type !== 'comment');
        if (!head || head.type === 'block') return { name: '', clause: p };
        const txt = head.text;
        const m = /^(?:\(?\s*)?(BaseException|Exception)\b.*?(?:\bas\s+(\w+))?$/.exec(txt.replace(/\s+/g, ' '));
        if (!m) return undefined;
        return { name: m[2] ?? p.namedChildren.find((c) => c?.type === 'as_pattern')?.childForFieldName('alias')?.text ?? '', clause: p };
      }
      return undefined;
    };
    const leaks = (e: Node, name: string): Node | undefined => {
      for (const c of [e, ...e.descendantsOfType(['call', 'identifier', 'interpolation'])]) {
        if (!c) continue;
        if (c.type === 'call') {
          const f = c.childForFieldName('function')?.text ?? '';
          if (/^traceback\.format_exc$|^(str|repr)$/.test(f) && (f.startsWith('traceback') || (name && c.childForFieldName('arguments')?.namedChildren[0]?.text === name))) return c;
        }
        if (c.type === 'interpolation' && name && c.namedChildren[0]?.text === name) return c;
      }
      return undefined;
    };
    const report = (at: Node, what: Node) => ctx.report({
      node: at,
      message: `The exception's text (\`${what.text.slice(0, 40)}\`) is sent to the client: error messages carry SQL, file paths, hostnames and library versions that help an attacker. Log the exception (\`logging.exception(…)\`) and return a generic message.`,
    });
    return {
      nodes: {
        return_statement(r: Node) {
          const ex = broadExcept(r);
          if (!ex || !ctx.taint.inHandler(r)) return;
          const v = r.namedChildren[0];
          if (!v) return;
          // the returned value: a dict / tuple / string built from the exception, or a response call with it
          const body = v.type === 'expression_list' || v.type === 'tuple' ? v.namedChildren[0] : v;
          if (!body) return;
          if (body.type === 'call' && !RESPONDERS.test((body.childForFieldName('function')?.text ?? '').split('.').pop() ?? '')) return;
          const leak = leaks(body, ex.name);
          if (leak) report(r, leak);
        },
        raise_statement(r: Node) {
          const ex = broadExcept(r);
          const call = r.namedChildren[0];
          if (!ex || call?.type !== 'call' || !/(^|\.)HTTPException$/.test(call.childForFieldName('function')?.text ?? '')) return;
          const leak = leaks(call, ex.name);
          if (leak) report(r, leak);
        },
      },
    };
  },
});
