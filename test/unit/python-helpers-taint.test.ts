/**
 * Python: request data followed into the file's helpers (python/taint.ts, seedFromCallers). A finding in the helper
 * names, after where the data entered, each call it went through; a helper only ever given numbers stays quiet, and
 * a recursive helper does not loop.
 */
import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText, allRules } from '../../src/engine';
import { loadPythonParser } from '../../src/engine/python/parser';

before(() => loadPythonParser());

const APP = `import subprocess
from flask import Flask, request

app = Flask(__name__)


def ping(host):
    return run_tool("ping -c 1 " + host)


def run_tool(cmd, depth=0):
    if depth > 3:
        return run_tool(cmd, depth - 1)
    return subprocess.run(cmd, shell=True, capture_output=True).stdout


@app.get("/ping")
def ping_view():
    return {"out": ping(request.args["host"]).decode()}
`;

it('a command built in a helper two calls from the view: high, with the source and both calls as related locations', () => {
  const r = analyzeText({ path: 'tools.py', text: APP }, { rules: allRules });
  const f = r.findings.filter((x) => x.ruleId === 'command-injection');
  assert.equal(f.length, 1, JSON.stringify(r.findings.map((x) => [x.ruleId, x.range.startPos.line])));
  assert.equal(f[0].confidence, 'high');
  assert.equal(f[0].range.startPos.line, 14);
  const related = f[0].related ?? [];
  assert.deepEqual(related.map((x) => x.range.startPos.line), [19, 19, 8]);
  assert.match(related[0].message, /^Request data enters here \(request\.args\)/);
  assert.deepEqual(related.slice(1).map((x) => x.message), ['Passed to `ping()` here.', 'Passed to `run_tool()` here.']);
});

it('a helper only ever called with numbers, or not called with request data, is not reported above low', () => {
  const text = APP.replace('ping(request.args["host"])', 'ping(str(len(request.args)))').replace('"ping -c 1 " + host', '"ping -c " + str(int(host))');
  const r = analyzeText({ path: 'tools.py', text }, { rules: allRules });
  assert.deepEqual(r.findings.filter((x) => x.ruleId === 'command-injection' && x.confidence !== 'low').map((x) => x.range.startPos.line), []);
});
