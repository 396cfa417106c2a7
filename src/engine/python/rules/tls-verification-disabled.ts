import type { Node } from 'web-tree-sitter';
import { definePythonRule } from '../rule';

const HTTP_MODULES = /^(requests|httpx|aiohttp|urllib3)\b/;

export default definePythonRule({
  id: 'tls-verification-disabled',
  docs: {
    description: 'In Python, finds `verify=False` on `requests`/`httpx` calls, clients and sessions, `ssl._create_unverified_context()`, and `check_hostname = False` / `verify_mode = ssl.CERT_NONE` on an SSL context.',
    bad: '# file: billing.py\nimport requests\n\ndef charge(payload):\n    return requests.post("https://billing.internal.example/charge", json=payload, verify=False)\n',
    good: '# file: billing.py\nimport requests\n\ndef charge(payload):\n    return requests.post("https://billing.internal.example/charge", json=payload, verify="/etc/ssl/internal-ca.pem")\n',
  },
  create(ctx) {
    const usesHttp = [...ctx.facts.modules].some((m) => HTTP_MODULES.test(m));
    return {
      nodes: {
        keyword_argument(kw: Node) {
          if (!usesHttp || kw.childForFieldName('name')?.text !== 'verify' || kw.childForFieldName('value')?.type !== 'false') return;
          const call = kw.parent?.parent;
          if (call?.type !== 'call') return;
          const q = ctx.facts.qualify(call.childForFieldName('function')) ?? '';
          const last = q.split('.').pop() ?? '';
          if (!HTTP_MODULES.test(q) && !/^(get|post|put|patch|delete|head|options|request|send|stream|Client|AsyncClient|Session)$/.test(last)) return;
          ctx.report({
            node: kw,
            message: `\`verify=False\` turns off certificate checks for \`${call.childForFieldName('function')!.text}\`: anyone on the network path can pose as the server and read or change the traffic, credentials included. Remove it, or point \`verify\` at your internal CA bundle (\`verify="/path/to/ca.pem"\`).`,
          });
        },
        assignment(n: Node) {
          const left = n.childForFieldName('left'), right = n.childForFieldName('right');
          if (left?.type !== 'attribute' || !right) return;
          const attr = left.childForFieldName('attribute')?.text;
          if ((attr === 'check_hostname' && right.type === 'false') || (attr === 'verify_mode' && /(^|\.)CERT_NONE$/.test(right.text))) {
            if (!ctx.facts.modules.has('ssl')) return;
            ctx.report({ node: n, message: `\`${n.text}\` turns off TLS certificate checks on this SSL context: anyone on the network path can pose as the server. Keep the defaults of \`ssl.create_default_context()\` and load your own CA with \`cafile=\` if needed.` });
          }
        },
      },
      calls: {
        _create_unverified_context(call: Node) {
          if (!/^ssl\./.test(ctx.facts.qualify(call.childForFieldName('function')) ?? '')) return;
          ctx.report({ node: call, message: '`ssl._create_unverified_context()` makes a context that accepts any certificate: anyone on the network path can pose as the server. Use `ssl.create_default_context()` (with `cafile=` for an internal CA).' });
        },
      },
    };
  },
});
