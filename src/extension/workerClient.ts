/**
 * The extension host's side of the analysis worker: starts it on first use, sends one request at a time
 * (editor requests before background scan requests), and enforces the per-file time budget. Analysis is
 * synchronous inside the worker, so a file that overruns its budget cannot be interrupted: the worker is
 * terminated and a fresh one starts for the next request.
 */
import { Worker } from 'node:worker_threads';
import type * as vscode from 'vscode';
import type { RuleMeta } from '../engine';
import type {
  AnalyzeRequest, AnalyzeResponse, DiscoverRequest, DiscoverResponse, ForgetRequest, ForgottenResponse, WorkerRequest, WorkerResponse,
} from '../worker/protocol';

export type AnalyzeOutcome =
  | AnalyzeResponse
  | { type: 'timeout'; path: string; ms: number }
  | { type: 'cancelled'; path: string }
  | { type: 'failed'; path: string; message: string };

export type Priority = 'editor' | 'background';

interface Job {
  req: WorkerRequest;
  budgetMs?: number;
  resolve(msg: WorkerResponse | { type: 'timeout'; ms: number } | { type: 'cancelled' } | { type: 'failed'; message: string }): void;
}

const MAX_CONSECUTIVE_START_FAILURES = 3;

export class WorkerClient implements vscode.Disposable {
  private worker?: Worker;
  private starting?: Promise<Worker>;
  private rules?: RuleMeta[];
  private readonly editorQueue: Job[] = [];
  private readonly backgroundQueue: Job[] = [];
  private current?: { job: Job; timer?: NodeJS.Timeout; started: number };
  private nextId = 1;
  private startFailures = 0;
  private disposed = false;
  private readonly projectListeners: ((root: string) => void)[] = [];

  /** Called when the worker has built a workspace folder's project model (findings across files may change). */
  onProjectReady(listener: (root: string) => void): vscode.Disposable {
    this.projectListeners.push(listener);
    return { dispose: () => { const i = this.projectListeners.indexOf(listener); if (i >= 0) this.projectListeners.splice(i, 1); } };
  }
  private readonly ruleWaiters: ((rules: RuleMeta[]) => void)[] = [];

  constructor(private readonly workerPath: string, private readonly log: vscode.LogOutputChannel) {}

  analyze(req: Omit<AnalyzeRequest, 'type' | 'id'>, priority: Priority, budgetMs: number): Promise<AnalyzeOutcome> {
    return new Promise((resolve) => {
      this.enqueue({
        req: { ...req, type: 'analyze', id: this.nextId++ },
        budgetMs,
        resolve: (msg) => {
          if (msg.type === 'analyzed') resolve(msg);
          else if (msg.type === 'timeout') resolve({ type: 'timeout', path: req.path, ms: msg.ms });
          else if (msg.type === 'cancelled') resolve({ type: 'cancelled', path: req.path });
          else if (msg.type === 'failed') resolve({ type: 'failed', path: req.path, message: msg.message });
          else if (msg.type === 'error') resolve({ type: 'failed', path: req.path, message: msg.message });
          else resolve({ type: 'failed', path: req.path, message: `unexpected reply ${msg.type}` });
        },
      }, priority);
    });
  }

  discover(req: Omit<DiscoverRequest, 'type' | 'id'>): Promise<DiscoverResponse> {
    return new Promise((resolve, reject) => {
      this.enqueue({
        req: { ...req, type: 'discover', id: this.nextId++ },
        resolve: (msg) => {
          if (msg.type === 'discovered') resolve(msg);
          else if (msg.type === 'cancelled') resolve({ type: 'discovered', id: 0, files: [] });
          else reject(new Error('message' in msg ? msg.message : `file discovery ended: ${msg.type}`));
        },
      }, 'background');
    });
  }

  /**
   * A file or folder is gone: the worker drops what it knows of it (nothing to do while no worker runs: a new one
   * builds its project models from what is on disk).
   */
  forget(req: Omit<ForgetRequest, 'type' | 'id'>): Promise<ForgottenResponse> {
    const none: ForgottenResponse = { type: 'forgotten', id: 0, removed: 0 };
    if (!this.worker && !this.starting) return Promise.resolve(none);
    return new Promise((resolve) => {
      this.enqueue({
        req: { ...req, type: 'forget', id: this.nextId++ },
        resolve: (msg) => resolve(msg.type === 'forgotten' ? msg : none),
      }, 'editor');
    });
  }

  /** Rule metadata as the worker's engine knows it (starts the worker if needed). */
  ruleMetas(): Promise<RuleMeta[]> {
    if (this.rules) return Promise.resolve(this.rules);
    return new Promise((resolve) => {
      this.ruleWaiters.push(resolve);
      void this.ensureWorker().catch(() => undefined);
    });
  }

  /** Starts the worker ahead of the first request, so the first file opened gets its results sooner. */
  prestart(): void {
    if (!this.disposed && !this.worker && !this.starting) void this.ensureWorker().catch(() => undefined);
  }

  /** Drops every queued background request (a cancelled scan); the one running finishes. */
  cancelBackground(): void {
    for (const job of this.backgroundQueue.splice(0)) job.resolve({ type: 'cancelled' });
  }

  get busy(): boolean {
    return this.current !== undefined || this.editorQueue.length > 0 || this.backgroundQueue.length > 0;
  }

  dispose(): void {
    this.disposed = true;
    for (const job of [...this.editorQueue.splice(0), ...this.backgroundQueue.splice(0)]) job.resolve({ type: 'cancelled' });
    if (this.current) { clearTimeout(this.current.timer); this.current.job.resolve({ type: 'cancelled' }); this.current = undefined; }
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private enqueue(job: Job, priority: Priority): void {
    if (this.disposed) { job.resolve({ type: 'cancelled' }); return; }
    (priority === 'editor' ? this.editorQueue : this.backgroundQueue).push(job);
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.current || this.disposed) return;
    const job = this.editorQueue.shift() ?? this.backgroundQueue.shift();
    if (!job) return;
    this.current = { job, started: 0 };
    let worker: Worker;
    try {
      worker = await this.ensureWorker();
    } catch (e) {
      this.finish(job, { type: 'failed', message: String((e as Error).message ?? e) });
      return;
    }
    if (this.current?.job !== job) return; // disposed meanwhile
    this.current.started = performance.now();
    if (job.budgetMs) {
      this.current.timer = setTimeout(() => this.onTimeout(job), job.budgetMs);
    }
    worker.postMessage(job.req);
  }

  private finish(job: Job, msg: Parameters<Job['resolve']>[0]): void {
    if (this.current?.job === job) {
      clearTimeout(this.current.timer);
      this.current = undefined;
    }
    job.resolve(msg);
    void this.pump();
  }

  private onTimeout(job: Job): void {
    if (this.current?.job !== job) return;
    const ms = performance.now() - this.current.started;
    this.log.info(`analysis of a file overran its ${job.budgetMs} ms budget; restarting the analysis worker`);
    const w = this.worker;
    this.worker = undefined;
    this.starting = undefined;
    void w?.terminate();
    this.finish(job, { type: 'timeout', ms });
  }

  private ensureWorker(): Promise<Worker> {
    if (this.worker) return Promise.resolve(this.worker);
    if (this.starting) return this.starting;
    if (this.startFailures >= MAX_CONSECUTIVE_START_FAILURES) {
      return Promise.reject(new Error('the analysis worker failed to start several times; see the Shipsafe output'));
    }
    const t0 = performance.now();
    const starting = new Promise<Worker>((resolve, reject) => {
      const w = new Worker(this.workerPath, { name: 'shipsafe-analysis' });
      let ready = false;
      w.on('message', (msg: WorkerResponse) => {
        if (msg.type === 'ready') {
          ready = true;
          this.startFailures = 0;
          this.rules = msg.rules;
          for (const waiter of this.ruleWaiters.splice(0)) waiter(msg.rules);
          this.log.debug(`analysis worker ready in ${Math.round(performance.now() - t0)} ms (${msg.rules.length} rules)`);
          this.worker = w;
          this.starting = undefined;
          resolve(w);
          return;
        }
        if (msg.type === 'projectReady') {
          this.log.debug(`project model of ${msg.root}: ${msg.files} modules in ${msg.ms} ms`);
          for (const l of this.projectListeners) l(msg.root);
          return;
        }
        const cur = this.current;
        if (cur && 'id' in msg && cur.job.req.id === msg.id && this.worker === w) this.finish(cur.job, msg);
      });
      w.on('error', (err) => {
        this.log.error(`analysis worker error: ${err.message}`);
        if (!ready) { this.startFailures++; this.starting = undefined; reject(err); }
      });
      w.on('exit', (code) => {
        if (!ready) {
          this.startFailures++;
          this.starting = undefined;
          reject(new Error(`the analysis worker exited during start-up (code ${code})`));
          return;
        }
        if (this.worker !== w) return; // terminated on purpose (time budget or dispose)
        this.worker = undefined;
        this.log.warn(`the analysis worker stopped unexpectedly (code ${code}); it restarts on the next request`);
        const cur = this.current;
        if (cur) this.finish(cur.job, { type: 'failed', message: `the analysis worker stopped (code ${code})` });
      });
    });
    this.starting = starting;
    return starting;
  }
}
