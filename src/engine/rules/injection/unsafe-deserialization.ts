import type { Node } from 'web-tree-sitter';
import { defineRule } from '../../model/rule';
import { keywordArg, keywordArgNode, positionalArgs, stringValue } from '../../python/ast';
import { pyFix } from '../../python/fixes';

const PICKLE_LIKE = /^(pickle|cPickle|_pickle|dill|cloudpickle|joblib|marshal|jsonpickle)\.(loads?|Unpickler|decode)$/;
const SAFE_LOADERS = /(^|\.)(SafeLoader|CSafeLoader|BaseLoader|CBaseLoader)$/;

export default defineRule({
  meta: {
    id: 'unsafe-deserialization',
    title: 'Data loaded with a deserializer that can run code',
    category: 'injection',
    severity: 'error',
    confidence: 'medium',
    cwe: [502],
    owasp: 'A08:2021 Software and Data Integrity Failures',
    description: 'Finds Python deserializers that can run code: `yaml.load` without `SafeLoader` (and `yaml.unsafe_load`, `FullLoader`), and `pickle`/`dill`/`marshal`/`jsonpickle` loads. `yaml.load` without a safe loader is reported at medium confidence; pickle-style loads are high when request data reaches them, medium in request handlers, low elsewhere (loading your own cache files is normal).',
    notReported: '`yaml.safe_load` and `yaml.load` with `SafeLoader`, `json` loads, and pickle-style loads of the app\'s own files outside request handlers (low: loading your own cache is normal).',
    why: 'Pickle and YAML\'s full loaders rebuild arbitrary Python objects, and rebuilding an object can call any function: a crafted pickle or YAML document runs commands on your server the moment it is loaded. Data from clients, uploads or shared storage must never go through them.',
    fix: 'Use `yaml.safe_load` for YAML and JSON (`json.loads`) for data from outside. If you must exchange Python objects, sign them (`itsdangerous`, HMAC) and verify before loading.',
    bad: '# file: app.py\nimport yaml\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n@app.post("/import")\ndef import_config():\n    config = yaml.load(request.data, Loader=yaml.Loader)\n    return {"keys": list(config)}\n',
    good: '# file: app.py\nimport yaml\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n@app.post("/import")\ndef import_config():\n    config = yaml.safe_load(request.data)\n    return {"keys": list(config)}\n',
    fixSafety: 'suggestion',
    languages: ['python'],
    defaultEnabled: true,
    tags: ['deserialization', 'injection', 'python'],
  },
  python: {
    create(ctx) {
      const yamlLoad = (call: Node) => {
        const q = ctx.facts.qualify(call.childForFieldName('function')) ?? '';
        if (!/^(yaml|ruamel\.yaml)\.(load|load_all|unsafe_load|unsafe_load_all|full_load|full_load_all)$/.test(q)) return;
        const loader = keywordArg(call, 'Loader') ?? positionalArgs(call)[1];
        if (loader && SAFE_LOADERS.test(loader.text)) return;
        const arg = positionalArgs(call)[0];
        if (!arg) return;
        const t = ctx.taint.trace(arg);
        const fixes = /\.(load|load_all)$/.test(q) && call.childForFieldName('function')?.type === 'attribute'
          ? (() => {
            const fn = call.childForFieldName('function')!;
            const attr = fn.childForFieldName('attribute')!;
            const edits = [{ start: attr.startIndex, end: attr.endIndex, newText: attr.text === 'load_all' ? 'safe_load_all' : 'safe_load' }];
            const kw = keywordArgNode(call, 'Loader');
            const pos = positionalArgs(call)[1];
            const drop = kw ?? pos;
            if (drop) {
              const comma = ctx.text.lastIndexOf(',', drop.startIndex);
              edits.push({ start: comma > arg.endIndex - 1 ? comma : drop.startIndex, end: drop.endIndex, newText: '' });
            }
            return [pyFix(ctx.path, `Use yaml.${attr.text === 'load_all' ? 'safe_load_all' : 'safe_load'}`, edits, 'safe_load builds only plain data (dicts, lists, strings, numbers); documents with custom !tags stop loading.')];
          })()
          : undefined;
        ctx.report({
          node: call, confidence: t ? 'high' : 'medium',
          message: `\`${call.childForFieldName('function')!.text}\`${loader ? ` with \`${loader.text}\`` : ' without a safe loader'} can build any Python object, and building one can run code: a crafted YAML document${t ? ` — and this one comes from the request (\`${t.label}\`) —` : ''} runs commands on your server. Use \`yaml.safe_load\`.`,
          ...(t ? { related: [{ node: t.source, message: `Request data enters here (${t.label}) and is loaded as YAML.` }] } : {}),
          ...(fixes ? { fixes } : {}),
        });
      };
      const pickleLoad = (call: Node) => {
        const q = ctx.facts.qualify(call.childForFieldName('function')) ?? '';
        if (!PICKLE_LIKE.test(q)) return;
        const arg = positionalArgs(call)[0];
        if (!arg || stringValue(arg) !== undefined) return;
        const t = ctx.taint.trace(arg);
        const lib = q.split('.')[0];
        if (t) {
          ctx.report({
            node: call, confidence: 'high',
            message: `\`${q}\` on request data (\`${t.label}\`): unpickling rebuilds arbitrary objects and can call any function, so a client can run commands on your server. Accept JSON (\`json.loads\`) and validate it instead.`,
            related: [{ node: t.source, message: `Request data enters here (${t.label}) and is unpickled.` }],
          });
          return;
        }
        ctx.report({
          node: call, confidence: ctx.taint.inHandler(call) ? 'medium' : 'low',
          message: `\`${q}\` can run code while loading: only use ${lib} on data your own app wrote and no one else can change; for anything from clients, files they upload or shared storage, use JSON.`,
        });
      };
      return {
        calls: {
          load: (c) => { yamlLoad(c); pickleLoad(c); }, load_all: yamlLoad, unsafe_load: yamlLoad, unsafe_load_all: yamlLoad, full_load: yamlLoad, full_load_all: yamlLoad,
          loads: pickleLoad, Unpickler: pickleLoad, decode: pickleLoad,
        },
      };
    },
  },
});
