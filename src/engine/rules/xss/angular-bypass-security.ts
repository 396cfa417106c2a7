import { ts } from 'ts-morph';
import { ALL_LANGUAGES, defineRule, type RuleContext, sameVisitor } from '../../model/rule';
import { calleeName, calleeObject, isFunctionLike, literalText, unwrap } from '../../util/ast';
import { flatten, resolveValue } from '../../util/web';

const BYPASS = /^bypassSecurityTrust(Html|Url|ResourceUrl|Script|Style)$/;
/** Route state an attacker sets through a link: `route.snapshot.paramMap.get('x')`, `queryParams`, `fragment`, `location.hash`. */
const ROUTE_TEXT = /\b(route|activatedRoute|activeRoute|router)\b[\w.?!]*\.(params|queryParams|paramMap|queryParamMap|fragment|snapshot)\b|\b(window\.)?location\.(hash|search|href)\b|\bdocument\.(URL|location|referrer)\b|\bwindow\.name\b/;
/** HTTP responses: `this.http.get(…)`, `fetch(…)`, HttpClient-based services are not followed. */
const HTTP_TEXT = /\b(http|httpClient|HttpClient)\s*\.\s*(get|post|put|request|jsonp)\b|\bfetch\s*\(/;
const SANITIZED = /\b(DOMPurify|purify|sanitizeHtml|sanitize|xss|filterXSS|escapeHtml|encodeURIComponent)\b/;

type Origin = { kind: 'route' | 'http' | 'input'; what: string } | { kind: 'dynamic' };

/** The callback parameter of `source$.subscribe((p) => …)` / `.pipe(map((p) => …))`: what the observable carries. */
function observableOf(ctx: RuleContext, p: ts.ParameterDeclaration): string | undefined {
  let fn: ts.Node = p.parent;
  if (!isFunctionLike(fn)) return undefined;
  let call = fn.parent;
  // `map((p) => …)` inside `.pipe(…)`
  if (call && ts.isCallExpression(call) && /^(map|switchMap|mergeMap|tap|concatMap)$/.test(calleeName(call) ?? '')) { fn = call; call = call.parent; }
  if (!call || !ts.isCallExpression(call)) return undefined;
  const name = calleeName(call);
  if (name !== 'subscribe' && name !== 'then' && name !== 'pipe') return undefined;
  const recv = calleeObject(call);
  return recv?.getText(ctx.sourceFile);
}

function originOf(ctx: RuleContext, cls: ts.ClassLikeDeclaration | undefined, expr: ts.Expression, depth = 0): Origin | undefined {
  if (depth > 5) return { kind: 'dynamic' };
  const e = unwrap(expr);
  if (literalText(e) !== undefined || ts.isNumericLiteral(e)) return undefined;
  const text = e.getText(ctx.sourceFile);
  if (SANITIZED.test(text)) return undefined;
  // a response to a URL built from route parameters is still a response: the server decides its content
  if (HTTP_TEXT.test(text)) return { kind: 'http', what: text };
  if (ROUTE_TEXT.test(text)) return { kind: 'route', what: text };
  if (ts.isTemplateExpression(e) || (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken)) {
    let worst: Origin | undefined;
    for (const part of flatten(ctx, e)) {
      if (!('expr' in part)) continue;
      const o = originOf(ctx, cls, part.expr, depth + 1);
      if (o && (!worst || rank(o) > rank(worst))) worst = o;
    }
    return worst;
  }
  if (ts.isIdentifier(e)) {
    const b = ctx.taint.scopes.resolve(e);
    if (!b) return { kind: 'dynamic' };
    if (ts.isParameter(b)) {
      const source = observableOf(ctx, b);
      if (source && HTTP_TEXT.test(source)) return { kind: 'http', what: source };
      if (source && ROUTE_TEXT.test(source)) return { kind: 'route', what: source };
      return { kind: 'dynamic' };
    }
    if (ts.isBindingElement(b)) {
      let d: ts.Node = b;
      while (ts.isBindingElement(d) || ts.isObjectBindingPattern(d) || ts.isArrayBindingPattern(d)) d = d.parent;
      if (ts.isParameter(d)) {
        const source = observableOf(ctx, d);
        if (source && HTTP_TEXT.test(source)) return { kind: 'http', what: source };
        if (source && ROUTE_TEXT.test(source)) return { kind: 'route', what: source };
      }
      if (ts.isVariableDeclaration(d) && d.initializer) return originOf(ctx, cls, d.initializer, depth + 1);
      return { kind: 'dynamic' };
    }
    const v = resolveValue(ctx, e);
    if (v !== e) return originOf(ctx, cls, v, depth + 1);
    if (ts.isVariableDeclaration(b) && b.initializer) return originOf(ctx, cls, b.initializer, depth + 1);
    return { kind: 'dynamic' };
  }
  if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
    // `this.html` where `@Input() html` or `html = input<string>()`
    const root = unwrap(e.expression);
    if (ts.isPropertyAccessExpression(e) && root.kind === ts.SyntaxKind.ThisKeyword && cls) {
      const member = cls.members.find((m) => m.name && ts.isIdentifier(m.name) && m.name.text === e.name.text);
      if (member && ts.canHaveDecorators(member) && (ts.getDecorators(member) ?? []).some((d) => /^Input\b/.test(d.expression.getText(ctx.sourceFile)))) return { kind: 'input', what: `@Input() ${e.name.text}` };
      if (member && ts.isPropertyDeclaration(member) && member.initializer && /^input(\.required)?\s*[<(]/.test(member.initializer.getText(ctx.sourceFile))) return { kind: 'input', what: `input() ${e.name.text}` };
      if (member && ts.isSetAccessor(member) && (ts.getDecorators(member) ?? []).some((d) => /^Input\b/.test(d.expression.getText(ctx.sourceFile)))) return { kind: 'input', what: `@Input() ${e.name.text}` };
    }
    if (ts.isCallExpression(root) && root.arguments.length === 0 && ts.isPropertyAccessExpression(unwrap(root.expression))) {
      // `this.html()` on a signal input
      return originOf(ctx, cls, unwrap(root.expression) as ts.Expression, depth + 1);
    }
    const base = originOf(ctx, cls, root, depth + 1);
    return base ?? { kind: 'dynamic' };
  }
  if (ts.isCallExpression(e)) {
    const recv = calleeObject(e);
    if (recv && ts.isPropertyAccessExpression(unwrap(e.expression)) && (calleeName(e) === 'get' || calleeName(e) === 'getAll')) {
      const o = originOf(ctx, cls, recv, depth + 1);
      if (o && o.kind !== 'dynamic') return o;
    }
    // `this.content()` signal input
    if (e.arguments.length === 0 && ts.isPropertyAccessExpression(unwrap(e.expression))) {
      const o = originOf(ctx, cls, unwrap(e.expression) as ts.Expression, depth + 1);
      if (o && o.kind === 'input') return o;
    }
    return { kind: 'dynamic' };
  }
  return { kind: 'dynamic' };
}

function rank(o: Origin): number {
  return o.kind === 'route' ? 3 : o.kind === 'http' || o.kind === 'input' ? 2 : 1;
}

const BYPASS_CALLS = ['Html', 'Url', 'ResourceUrl', 'Script', 'Style'].map((k) => `bypassSecurityTrust${k}`);

export default defineRule({
  meta: {
    id: 'angular-bypass-security',
    title: 'Angular sanitization bypassed for untrusted values',
    category: 'xss',
    severity: 'error',
    confidence: 'medium',
    cwe: [79],
    owasp: 'A03:2021 Injection',
    description: 'Finds Angular `DomSanitizer.bypassSecurityTrustHtml/Url/ResourceUrl/Script/Style` called on route parameters, query parameters or the URL (high), on HTTP responses or component inputs (medium), and on other changing values (low).',
    notReported: 'Fixed strings, values cleaned by DOMPurify or another sanitizer first, and Angular bindings without a bypass (Angular sanitizes `[innerHTML]` itself).',
    why: 'Angular cleans every value bound into `[innerHTML]`, `[src]` or `[href]`, unless you tell it not to. `bypassSecurityTrust*` switches that check off for one value; if the value comes from the URL, an API or a parent component that got it from users, a link or a stored comment can run its script in your users\' sessions.',
    fix: 'Bind the value without the bypass and let Angular sanitize it. If you need HTML Angular would strip, clean it with DOMPurify first and only then mark it trusted, and never trust a URL or resource URL you did not build from fixed parts.',
    bad: `import { Component, inject } from '@angular/core';
import { ActivatedRoute } from '@angular/router';
import { DomSanitizer } from '@angular/platform-browser';

@Component({ selector: 'app-preview', template: '<div [innerHTML]="html"></div>' })
export class PreviewComponent {
  private route = inject(ActivatedRoute);
  private sanitizer = inject(DomSanitizer);
  html = this.sanitizer.bypassSecurityTrustHtml(this.route.snapshot.queryParamMap.get('content') ?? '');
}`,
    good: `import { Component, inject } from '@angular/core';
import { ActivatedRoute } from '@angular/router';

@Component({ selector: 'app-preview', template: '<div [innerHTML]="html"></div>' })
export class PreviewComponent {
  private route = inject(ActivatedRoute);
  html = this.route.snapshot.queryParamMap.get('content') ?? '';
}`,
    fixSafety: 'none',
    languages: ALL_LANGUAGES,
    defaultEnabled: true,
    tags: ['xss', 'angular', 'frontend'],
  },
  create(ctx) {
    const check = (call: ts.CallExpression | ts.NewExpression) => {
      if (!ts.isCallExpression(call) || !BYPASS.test(calleeName(call) ?? '') || !calleeObject(call)) return;
      const arg = call.arguments[0];
      if (!arg) return;
      let cls: ts.Node | undefined = call.parent;
      while (cls && !ts.isClassDeclaration(cls) && !ts.isClassExpression(cls)) cls = cls.parent;
      const o = originOf(ctx, cls as ts.ClassLikeDeclaration | undefined, arg);
      if (!o) return;
      const fn = calleeName(call)!;
      const ctxWord = /Url$/.test(fn) ? 'URL' : fn.replace('bypassSecurityTrust', '').toLowerCase();
      if (o.kind === 'route') {
        ctx.report({
          node: call, confidence: 'high',
          message: `\`${fn}\` turns off Angular's ${ctxWord} sanitizing for a value taken from the URL (\`${o.what.slice(0, 50)}\`): anyone can send a link that runs script in the page. Bind the value without the bypass, or clean it with DOMPurify before trusting it.`,
        });
      } else if (o.kind === 'http' || o.kind === 'input') {
        ctx.report({
          node: call, confidence: 'medium',
          message: `\`${fn}\` turns off Angular's ${ctxWord} sanitizing for ${o.kind === 'http' ? 'an HTTP response' : `a component input (\`${o.what}\`)`}: if that content ever holds user-written text (a comment, a profile, a stored page), it runs as script in your users' sessions. Let Angular sanitize it, or clean it with DOMPurify first.`,
        });
      } else {
        ctx.report({
          node: call, confidence: 'low',
          message: `\`${fn}\` turns off Angular's ${ctxWord} sanitizing for \`${arg.getText(ctx.sourceFile).slice(0, 40)}\`; make sure it never holds user-controlled content, or clean it with DOMPurify first.`,
        });
      }
    };
    return { calls: sameVisitor(BYPASS_CALLS, check) };
  },
});
