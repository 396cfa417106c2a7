import type { Node } from 'web-tree-sitter';
import { keywordArg } from '../ast';
import { definePythonRule } from '../rule';

export default definePythonRule({
  id: 'jwt-decode-without-verify',
  docs: {
    description: 'In Python, finds PyJWT and python-jose decodes with signature checks off: `options={"verify_signature": False}`, `verify=False`, and python-jose `jwt.get_unverified_claims` used for anything but a key lookup.',
    bad: '# file: auth.py\nimport jwt\n\ndef user_id(token: str) -> str:\n    return jwt.decode(token, options={"verify_signature": False})["sub"]\n',
    good: '# file: auth.py\nimport os\n\nimport jwt\n\ndef user_id(token: str) -> str:\n    return jwt.decode(token, os.environ["JWT_SECRET"], algorithms=["HS256"])["sub"]\n',
  },
  create(ctx) {
    const msg = (what: string) => `${what}: anyone can write a token with any user id or role and it is accepted. Verify the signature with your key and pinned algorithms (\`jwt.decode(token, key, algorithms=["HS256"])\`).`;
    return {
      calls: {
        decode(call: Node) {
          const q = ctx.facts.qualify(call.childForFieldName('function')) ?? '';
          if (!/^(jwt|jose\.jwt)\.decode$/.test(q)) return;
          const options = keywordArg(call, 'options');
          if ((options && /["']verify_signature["']\s*:\s*False/.test(options.text)) || keywordArg(call, 'verify')?.type === 'false') {
            ctx.report({ node: call, message: msg(`\`${call.childForFieldName('function')!.text}\` with signature checks off reads the token without checking who made it`) });
          }
        },
        get_unverified_claims(call: Node) {
          if (!/^jose\.jwt\.get_unverified_claims$/.test(ctx.facts.qualify(call.childForFieldName('function')) ?? '')) return;
          ctx.report({ node: call, confidence: 'low', message: msg('`get_unverified_claims` reads the token without checking who made it') });
        },
      },
    };
  },
});
