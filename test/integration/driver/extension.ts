/**
 * The test-driver extension for the offline integration run (see ../run.ts). The code-server build ignores
 * --extensionTestsPath, so this extension, activated on start-up, runs the suites itself inside the real
 * extension host and writes the results to a JSON file the outer process waits for.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { TestCase } from '../harness';
import { checklistSuite } from '../suites/checklist';
import { fixesSuite } from '../suites/fixes';
import { mainSuite } from '../suites/main';
import { promptSuite } from '../suites/prompt';
import { restrictedSuite } from '../suites/restricted';

export interface DriverConfig {
  suite: 'main' | 'restricted' | 'prompt' | 'fixes' | 'checklist';
  resultFile: string;
  outputDir?: string;
}

export interface TestResult { name: string; ok: boolean; ms: number; error?: string }

export interface DriverResults {
  suite: string;
  done: boolean;
  tests: TestResult[];
  metrics: Record<string, number>;
}

const SUITES: Record<DriverConfig['suite'], TestCase[]> = { main: mainSuite, restricted: restrictedSuite, prompt: promptSuite, fixes: fixesSuite, checklist: checklistSuite };

function write(file: string, results: DriverResults): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, JSON.stringify(results, null, 2));
  renameSync(`${file}.tmp`, file);
}

function withTimeout<T>(p: Promise<T>, ms: number, name: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => { timer = setTimeout(() => reject(new Error(`test "${name}" timed out after ${ms} ms`)), ms); }),
  ]);
}

export async function runSuite(tests: TestCase[], suite: string, onProgress: (r: DriverResults) => void, outputDir?: string): Promise<DriverResults> {
  const results: DriverResults = { suite, done: false, tests: [], metrics: {} };
  for (const t of tests) {
    const t0 = Date.now();
    try {
      await withTimeout(t.run({ metric: (k, v) => { results.metrics[k] = v; }, outputDir }), t.timeoutMs ?? 60_000, t.name);
      results.tests.push({ name: t.name, ok: true, ms: Date.now() - t0 });
    } catch (e) {
      results.tests.push({ name: t.name, ok: false, ms: Date.now() - t0, error: String((e as Error)?.stack ?? e) });
    }
    onProgress(results);
  }
  results.done = true;
  onProgress(results);
  return results;
}

export function activate(context: vscode.ExtensionContext): void {
  const configPath = process.env.SHIPSAFE_IT_CONFIG ?? join(context.extensionPath, '..', '..', 'it-config.json');
  let config: DriverConfig;
  try {
    config = JSON.parse(readFileSync(configPath, 'utf8')) as DriverConfig;
  } catch {
    return; // not an integration run
  }
  const tests = SUITES[config.suite];
  if (!tests) {
    write(config.resultFile, { suite: config.suite, done: true, tests: [{ name: 'unknown suite', ok: false, ms: 0, error: config.suite }], metrics: {} });
    return;
  }
  // let the workbench settle (restored editors, built-in extensions starting) before measuring anything
  setTimeout(() => {
    void (async () => {
      await debugLogLevel();
      await runSuite(tests, config.suite, (r) => write(config.resultFile, r), config.outputDir);
    })();
  }, 500);
}

/** What a person does to see per-file timings: Output panel → Shipsafe → gear → Debug. */
async function debugLogLevel(): Promise<void> {
  try {
    await vscode.extensions.getExtension('shipsafe.shipsafe')?.activate();
    await vscode.commands.executeCommand('shipsafe.showOutput');
    await new Promise((r) => setTimeout(r, 300));
    await vscode.commands.executeCommand('workbench.action.output.activeOutputLogLevel.2'); // LogLevel.Debug
  } catch (e) {
    console.error(`could not set the Shipsafe log level to debug: ${(e as Error).message}`);
  }
}
