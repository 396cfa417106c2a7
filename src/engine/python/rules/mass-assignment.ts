import type { Node } from 'web-tree-sitter';
import { enclosingFunction, stringValue } from '../ast';
import { definePythonRule } from '../rule';

export default definePythonRule({
  id: 'mass-assignment',
  docs: {
    description: 'In Python, finds whole request bodies written into models: `Model(**request.json)`, `Model.objects.create(**request.POST.dict())`, `obj.__dict__.update(request.get_json())`, and `setattr(obj, key, value)` over every key of the request. FastAPI endpoints that take a Pydantic model are not reported: the model lists the fields; nor is a dict whose keys the code writes out (`Context(**{"user": headers.get("X-User-Id")})`).',
    bad: '# file: app.py\nfrom flask import Flask, request\n\nfrom .models import User, db\n\napp = Flask(__name__)\n\n@app.post("/users")\ndef create_user():\n    user = User(**request.get_json())\n    db.session.add(user)\n    db.session.commit()\n    return {"id": user.id}\n',
    good: '# file: app.py\nfrom flask import Flask, request\n\nfrom .models import User, db\n\napp = Flask(__name__)\n\n@app.post("/users")\ndef create_user():\n    data = request.get_json()\n    user = User(name=data["name"], email=data["email"])\n    db.session.add(user)\n    db.session.commit()\n    return {"id": user.id}\n',
  },
  create(ctx) {
    const msg = (label: string) => `Every field of the request (\`${label}\`) is written to the model: a client can add fields you did not mean to accept, such as \`is_admin\`, \`role\` or another user's \`owner_id\`. Copy only the fields users may set, or validate with a schema that lists them.`;
    /** request data straight from the request (not a Pydantic model, whose fields are declared) */
    const rawRequest = (e: Node) => {
      // a Django form, a DRF serializer or a schema in between lists the fields: `form.cleaned_data` is not the raw body
      const t = ctx.taint.trace(e, { strict: true, stopPattern: /(Form|Serializer|Schema|form_class|serializer_class)$|^(model_validate|parse_obj|parse_raw|load|validate|validated_data|cleaned_data)$/ });
      // a Django URL argument is one string matched by the URL pattern: it cannot carry fields (`create(**namespace)` in a
      // helper whose first parameter is named `request` takes a dict its caller built)
      return t && !t.urlArgument && !/request (body|parameter)/.test(t.label) ? t : undefined;
    };
    /**
     * A dict whose keys the code writes out (`kwargs = {"user": headers.get("X-User-Id"), …}; Context(**kwargs)`): the
     * client chooses values, not fields. Not when more keys can be added (`**`, `kwargs.update(…)`, `kwargs[k] = …`).
     */
    const chosenKeys = (value: Node): boolean => {
      const literal = (d: Node | undefined) => d?.type === 'dictionary' && !d.namedChildren.some((c) => c?.type === 'dictionary_splat');
      if (value.type === 'dictionary') return literal(value);
      if (value.type !== 'identifier') return false;
      const writes = ctx.taint.writesBefore(value.text, value);
      if (!writes.length || !writes.every((w) => literal(w))) return false;
      const body = enclosingFunction(value) ?? ctx.root;
      return !body.descendantsOfType(['call', 'assignment']).some((c) => {
        if (!c) return false;
        if (c.type === 'call') {
          const f = c.childForFieldName('function');
          return f?.type === 'attribute' && f.childForFieldName('object')?.text === value.text && /^(update|setdefault)$/.test(f.childForFieldName('attribute')?.text ?? '');
        }
        const left = c.childForFieldName('left');
        return left?.type === 'subscript' && left.childForFieldName('value')?.text === value.text && stringValue(left.childForFieldName('subscript')) === undefined;
      });
    };
    return {
      nodes: {
        dictionary_splat(n: Node) {
          if (n.parent?.type !== 'argument_list') return;
          const call = n.parent.parent;
          const fn = call?.childForFieldName('function');
          if (!call || !fn) return;
          const name = fn.type === 'attribute' ? fn.childForFieldName('attribute')!.text : fn.text;
          // a model class (`User(**…)`), or an ORM write (`objects.create(**…)`, `query.update(**…)`)
          const model = /^[A-Z]\w*$/.test(name) || /^(create|update|update_or_create|get_or_create|bulk_create|insert|insert_one|update_one)$/.test(name);
          if (!model || /^(dict|Response|JSONResponse|HTTPException|Exception|ValueError)$/.test(name)) return;
          const value = n.namedChildren[0];
          if (value && chosenKeys(value)) return;
          const t = value ? rawRequest(value) : undefined;
          if (!t) return;
          ctx.report({ node: n, confidence: 'high', message: msg(t.label), related: [{ node: t.source, message: `Request data enters here (${t.label}).` }] });
        },
      },
      calls: {
        update(call: Node) {
          const fn = call.childForFieldName('function');
          if (fn?.type !== 'attribute' || !/\.__dict__$/.test(fn.childForFieldName('object')?.text ?? '')) return;
          const arg = call.childForFieldName('arguments')?.namedChildren[0];
          const t = arg ? rawRequest(arg) : undefined;
          if (t) ctx.report({ node: call, confidence: 'high', message: msg(t.label) });
        },
        setattr(call: Node) {
          // for key, value in request.json.items(): setattr(obj, key, value)
          const args = call.childForFieldName('arguments')?.namedChildren ?? [];
          if (args.length !== 3 || args[1]?.type !== 'identifier') return;
          let loop: Node | null = call.parent;
          while (loop && loop.type !== 'for_statement' && loop.type !== 'function_definition') loop = loop.parent;
          if (loop?.type !== 'for_statement') return;
          const left = loop.childForFieldName('left'), right = loop.childForFieldName('right');
          if (!left || !right || !left.text.split(/[\s,()]+/).includes(args[1]!.text)) return;
          const t = rawRequest(right);
          if (t) ctx.report({ node: call, confidence: 'high', message: msg(t.label) });
        },
      },
    };
  },
});
