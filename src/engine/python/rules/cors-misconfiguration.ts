import type { Node } from 'web-tree-sitter';
import { isTrue, keywordArg, positionalArgs, stringValue } from '../ast';
import { definePythonRule } from '../rule';

/** `"*"`, `["*"]`, `r".*"`: every origin. */
function anyOrigin(v: Node | undefined): boolean {
  if (!v) return false;
  const s = stringValue(v);
  if (s !== undefined) return s === '*' || s === '.*' || s === '^.*$';
  if (v.type === 'list' || v.type === 'tuple' || v.type === 'set') return v.namedChildren.some((c) => !!c && anyOrigin(c));
  return false;
}

export default definePythonRule({
  id: 'cors-misconfiguration',
  docs: {
    description: 'In Python, finds CORS that lets every site send logged-in requests: flask-cors `CORS(app, supports_credentials=True)` with every origin (its default), FastAPI/Starlette `CORSMiddleware` with `allow_origins=["*"]` or `allow_origin_regex=".*"` and `allow_credentials=True`, and django-cors-headers `CORS_ALLOW_ALL_ORIGINS = True` with `CORS_ALLOW_CREDENTIALS = True`.',
    bad: '# file: main.py\nfrom fastapi import FastAPI\nfrom fastapi.middleware.cors import CORSMiddleware\n\napp = FastAPI()\napp.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True, allow_methods=["*"])\n',
    good: '# file: main.py\nfrom fastapi import FastAPI\nfrom fastapi.middleware.cors import CORSMiddleware\n\napp = FastAPI()\napp.add_middleware(CORSMiddleware, allow_origins=["https://app.example.com"], allow_credentials=True, allow_methods=["GET", "POST"])\n',
  },
  create(ctx) {
    const msg = (what: string) => `${what}: any website a logged-in user visits can call your API with their cookies and read the answers (their data, CSRF tokens). List the origins you trust instead of allowing all of them.`;
    let allOrigins: Node | undefined;
    let credentials = false;
    return {
      calls: {
        CORS(call: Node) {
          if (!/^flask_cors\./.test(ctx.facts.qualify(call.childForFieldName('function')) ?? '')) return;
          if (!isTrue(keywordArg(call, 'supports_credentials'))) return;
          const origins = keywordArg(call, 'origins') ?? keywordArg(call, 'resources');
          if (origins && !anyOrigin(origins) && origins.type !== 'dictionary') return;
          if (origins?.type === 'dictionary' && !/["']origins["']\s*:\s*(["']\*["']|\[\s*["']\*["'])/.test(origins.text)) return;
          ctx.report({ node: call, confidence: 'high', message: msg('`CORS(…, supports_credentials=True)` allows every origin (flask-cors\'s default)') });
        },
        add_middleware(call: Node) {
          const mw = positionalArgs(call)[0];
          if (!mw || !/(^|\.)CORSMiddleware$/.test(ctx.facts.qualify(mw) ?? mw.text)) return;
          if (!isTrue(keywordArg(call, 'allow_credentials'))) return;
          if (!anyOrigin(keywordArg(call, 'allow_origins')) && !anyOrigin(keywordArg(call, 'allow_origin_regex'))) return;
          ctx.report({ node: call, confidence: 'high', message: msg('`CORSMiddleware` with every origin and `allow_credentials=True` (Starlette then echoes each caller\'s origin)') });
        },
      },
      nodes: {
        assignment(n: Node) {
          if (n.parent?.parent?.type !== 'module') return;
          const name = n.childForFieldName('left')?.text;
          const right = n.childForFieldName('right');
          if ((name === 'CORS_ALLOW_ALL_ORIGINS' || name === 'CORS_ORIGIN_ALLOW_ALL') && isTrue(right ?? undefined)) allOrigins = n;
          if (name === 'CORS_ALLOW_CREDENTIALS' && isTrue(right ?? undefined)) credentials = true;
        },
      },
      onFileEnd() {
        if (allOrigins && credentials) ctx.report({ node: allOrigins, confidence: 'high', message: msg('`CORS_ALLOW_ALL_ORIGINS = True` together with `CORS_ALLOW_CREDENTIALS = True`') });
      },
    };
  },
});
