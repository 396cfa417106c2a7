import type { Node } from 'web-tree-sitter';
import { assignedValues, keywordArg, keywordArgNode, positionalArgs, stringValue } from '../ast';
import { pyFix } from '../fixes';
import { definePythonRule } from '../rule';

const PICKLE_LIKE = /^(pickle|cPickle|_pickle|dill|cloudpickle|joblib|marshal|jsonpickle)\.(loads?|Unpickler|decode)$/;
const SAFE_LOADERS = /(^|\.)(SafeLoader|CSafeLoader|BaseLoader|CBaseLoader)$/;

export default definePythonRule({
  id: 'unsafe-deserialization',
  docs: {
    description: 'In Python, finds deserializers that can run code: `yaml.load` without `SafeLoader` (and `yaml.unsafe_load`, `FullLoader`), and `pickle`/`dill`/`marshal`/`jsonpickle` loads. `yaml.load` without a safe loader is reported at medium confidence (ruamel.yaml\'s `YAML().load` is safe unless made with `typ="unsafe"`; a loader class of the file made from `SafeLoader` is safe); `FullLoader` and `full_load`, which since PyYAML 5.4 call no function, are low (medium on request data); pickle-style loads are high when request data reaches them, medium in request handlers, low elsewhere (loading your own cache files is normal).',
    bad: '# file: app.py\nimport yaml\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n@app.post("/import")\ndef import_config():\n    config = yaml.load(request.data, Loader=yaml.Loader)\n    return {"keys": list(config)}\n',
    good: '# file: app.py\nimport yaml\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n@app.post("/import")\ndef import_config():\n    config = yaml.safe_load(request.data)\n    return {"keys": list(config)}\n',
  },
  create(ctx) {
    /**
     * `yaml = YAML()` (ruamel.yaml's object API) then `yaml.load(f)`: its default round-trip loader builds only plain
     * data; only `YAML(typ='unsafe')` builds Python objects.
     */
    const ruamelInstance = (call: Node): 'safe' | 'unsafe' | undefined => {
      const obj = call.childForFieldName('function')?.childForFieldName('object');
      if (obj?.type !== 'identifier' || ctx.facts.imports.has(obj.text)) return undefined;
      const made = assignedValues(ctx.root, obj.text);
      if (!made.length || !made.every((r) => r?.type === 'call' && /^ruamel\.yaml(\.main)?\.YAML$/.test(ctx.facts.qualify(r.childForFieldName('function')) ?? ''))) return undefined;
      return made.some((r) => /unsafe/.test(keywordArg(r!, 'typ')?.text ?? '')) ? 'unsafe' : 'safe';
    };
    /** a safe loader, or a class of this file made from one (`class RamlLoader(yaml.SafeLoader)`, a few levels) */
    const safeLoader = (name: string, depth = 0): boolean => {
      if (SAFE_LOADERS.test(name)) return true;
      const cls = depth < 4 ? ctx.facts.classes.get(name) : undefined;
      return !!cls && cls.bases.length > 0 && cls.bases.every((b) => safeLoader(b, depth + 1));
    };
    const yamlLoad = (call: Node) => {
      const q = ctx.facts.qualify(call.childForFieldName('function')) ?? '';
      const ruamel = /\.(load|load_all)$/.test(q) ? ruamelInstance(call) : undefined;
      if (ruamel === 'safe') return;
      if (!ruamel && !/^(yaml|ruamel\.yaml)\.(load|load_all|unsafe_load|unsafe_load_all|full_load|full_load_all)$/.test(q)) return;
      const loader = keywordArg(call, 'Loader') ?? positionalArgs(call)[1];
      if (loader && safeLoader(loader.text)) return;
      const arg = positionalArgs(call)[0];
      if (!arg) return;
      const t = ctx.taint.trace(arg);
      // FullLoader: since PyYAML 5.4 it calls no function (`python/object/apply` and `/new` are the unsafe loader's
      // only); it still builds instances of classes the app has imported
      const full = !ruamel && (/\.full_load(_all)?$/.test(q) || (!!loader && /(^|\.)FullLoader$/.test(loader.text)));
      const fixes = !ruamel && /\.(load|load_all)$/.test(q) && call.childForFieldName('function')?.type === 'attribute'
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
      if (full) {
        ctx.report({
          node: call, confidence: t ? 'medium' : 'low',
          message: `\`${call.childForFieldName('function')!.text}\`${loader ? ` with \`${loader.text}\`` : ''} builds Python objects of any class your app has imported (and ran code while loading before PyYAML 5.4)${t ? `, and this document comes from the request (\`${t.label}\`)` : ''}: a crafted YAML document can make objects your code does not expect. Use \`yaml.safe_load\`, which builds only plain data.`,
          ...(t ? { related: [{ node: t.source, message: `Request data enters here (${t.label}) and is loaded as YAML.` }] } : {}),
          ...(fixes ? { fixes } : {}),
        });
        return;
      }
      ctx.report({
        node: call, confidence: t ? 'high' : 'medium',
        message: `\`${call.childForFieldName('function')!.text}\`${ruamel ? ' of a `YAML(typ="unsafe")` object' : loader ? ` with \`${loader.text}\`` : ' without a safe loader'} can build any Python object, and building one can run code: a crafted YAML document${t ? ` — and this one comes from the request (\`${t.label}\`) —` : ''} runs commands on your server. ${ruamel ? 'Make the loader with `YAML()` (round-trip) or `YAML(typ="safe")`' : 'Use `yaml.safe_load`'}.`,
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
});
