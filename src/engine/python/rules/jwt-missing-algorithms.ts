import type { Node } from 'web-tree-sitter';
import { keywordArg, positionalArgs } from '../ast';
import { definePythonRule } from '../rule';

export default definePythonRule({
  id: 'jwt-missing-algorithms',
  docs: {
    description: 'In Python, finds python-jose and PyJWT `jwt.decode(token, key)` calls that do not pin `algorithms=[…]`, or that allow `"none"`.',
    bad: '# file: auth.py\nimport os\n\nfrom jose import jwt\n\ndef current_user(token: str):\n    return jwt.decode(token, os.environ["JWT_SECRET"])\n',
    good: '# file: auth.py\nimport os\n\nfrom jose import jwt\n\ndef current_user(token: str):\n    return jwt.decode(token, os.environ["JWT_SECRET"], algorithms=["HS256"])\n',
  },
  create(ctx) {
    return {
      calls: {
        decode(call: Node) {
          const q = ctx.facts.qualify(call.childForFieldName('function')) ?? '';
          if (!/^(jwt|jose\.jwt|jose\.jws)\.(decode|verify)$/.test(q)) return;
          // decoding without verifying is the other rule's finding
          const options = keywordArg(call, 'options');
          if (options && /verify_signature["']\s*:\s*False/.test(options.text)) return;
          if (isFalseVerify(call)) return;
          const algs = keywordArg(call, 'algorithms') ?? positionalArgs(call)[2];
          if (algs && !/["']none["']/i.test(algs.text)) return;
          if (!algs && positionalArgs(call).length < 2 && !keywordArg(call, 'key')) return;
          ctx.report({
            node: call,
            message: algs
              ? `\`${call.childForFieldName('function')!.text}\` accepts the "none" algorithm: anyone can make a token with no signature and be accepted. Allow only the algorithm you sign with.`
              : `\`${call.childForFieldName('function')!.text}\` does not pin the algorithm: a token can pick its own (with python-jose any supported one, including HMAC with your public key as the secret). Pass \`algorithms=["HS256"]\` (or the one you sign with).`,
          });
        },
      },
    };
  },
});

function isFalseVerify(call: Node): boolean {
  return keywordArg(call, 'verify')?.type === 'false';
}
