/** NestJS decorators read from the syntax tree: shared by the rules that judge controllers. */
import { ts } from 'ts-morph';
import type { HttpMethod } from '../project-model/types';

/** Route decorators and the method each routes. */
export const NEST_METHODS: Record<string, HttpMethod> = { Get: 'get', Post: 'post', Put: 'put', Patch: 'patch', Delete: 'delete', All: 'all' };

/** The decorators on a class, method or parameter: their name (`UseGuards`) and the call when they are called. */
export function decoratorsOf(node: ts.Node): { name: string; call?: ts.CallExpression }[] {
  const out: { name: string; call?: ts.CallExpression }[] = [];
  for (const d of (ts.canHaveDecorators(node) ? ts.getDecorators(node) : undefined) ?? []) {
    const e = d.expression;
    const callee = ts.isCallExpression(e) ? e.expression : e;
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    if (name) out.push({ name, ...(ts.isCallExpression(e) ? { call: e } : {}) });
  }
  return out;
}

/** The path a Nest decorator gives (`@Controller('orders')`, `@Get(':id')`, `@Controller({ path: 'orders' })`). */
export function nestPath(call: ts.CallExpression | undefined): string | undefined {
  const a = call?.arguments[0];
  if (!a) return '';
  if (ts.isStringLiteralLike(a)) return a.text;
  if (ts.isObjectLiteralExpression(a)) {
    for (const p of a.properties) {
      if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'path') return ts.isStringLiteralLike(p.initializer) ? p.initializer.text : undefined;
    }
    return '';
  }
  return undefined; // an array or a constant: not read
}
