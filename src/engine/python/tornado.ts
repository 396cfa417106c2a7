/**
 * Tornado (JupyterHub, Jupyter Server, mitmproxy's web UI…): a `RequestHandler` subclass answers a URL pattern with
 * methods named after the HTTP verbs (`def get(self, user_name)`: the pattern's groups as text). The request is
 * read with `self.get_argument(…)` and its kin, and `self.request` (`body`, `arguments`, `headers`, `uri`…); the
 * answer is written with `self.write(…)`/`self.finish(…)` (a `str` goes out as text/html unless the handler sets
 * another Content-Type) and `self.redirect(url)`.
 */
import type { Node } from 'web-tree-sitter';
import { classOfMethod, enclosingClass } from './ast';
import type { PyFacts } from './facts';

/** The handler's own readers of the query string and the form body (not the signed `get_secure_cookie`). */
export const TORNADO_ARG_METHODS = new Set(['get_argument', 'get_arguments', 'get_query_argument', 'get_query_arguments',
  'get_body_argument', 'get_body_arguments', 'get_cookie', 'path_args', 'path_kwargs']);
/** `self.request`'s parts (an `HTTPServerRequest`). */
export const TORNADO_REQUEST_ATTRS = new Set(['body', 'arguments', 'query_arguments', 'body_arguments', 'files', 'headers', 'uri',
  'path', 'query', 'cookies', 'full_url']);
/** The methods Tornado calls with the URL pattern's groups. */
const VERB_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options']);

const handlerClasses = new WeakMap<Node, boolean>();

/**
 * Whether `cls` is a Tornado request handler: a subclass of `RequestHandler` (`web.RequestHandler`,
 * `tornado.web.RequestHandler`), or, in a file that imports tornado, of a class named `…Handler` (an app's own
 * `BaseHandler`, Jupyter's `APIHandler`).
 */
export function isTornadoHandler(cls: Node | undefined, facts: PyFacts): boolean {
  if (!cls) return false;
  let v = handlerClasses.get(cls);
  if (v === undefined) {
    const bases = (cls.childForFieldName('superclasses')?.namedChildren ?? []).filter((b): b is Node => !!b && b.type !== 'keyword_argument').map((b) => b.text);
    v = bases.some((b) => /(^|\.)RequestHandler$/.test(b)) || (facts.tornado && bases.some((b) => /Handler$/.test(b)));
    handlerClasses.set(cls, v);
  }
  return v;
}

/** Whether `n` is in a method of a Tornado request handler (`self` there is the handler). */
export function inTornadoHandler(n: Node, facts: PyFacts): boolean {
  return isTornadoHandler(enclosingClass(n), facts);
}

/** Whether `fn` is a verb method of a Tornado handler, whose parameters after `self` are the URL's groups. */
export function isTornadoVerbMethod(fn: Node, facts: PyFacts): boolean {
  const name = fn.childForFieldName('name')?.text;
  if (!name || !VERB_METHODS.has(name)) return false;
  const cls = classOfMethod(fn);
  return !!cls && isTornadoHandler(cls, facts);
}
