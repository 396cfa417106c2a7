/**
 * Analysis threads for the CLI and the MCP server, with a per-file time budget as in the editor. Analysis is
 * synchronous, so a file that overruns its budget cannot be interrupted: its thread is terminated and a fresh
 * one takes its place; the file is then given only the text-level secret scan (in a thread too, with the same
 * budget) and listed as not fully analysed. Work also leaves the main thread, so the MCP server keeps answering
 * while a big file is checked.
 *
 * Idle threads do not keep the process alive (they are unref'd while they wait), so one pool serves every
 * scan of a process, and a test suite pays for starting threads once.
 */
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { ProjectMessage, WorkerJob, WorkerReply } from './pool-protocol';
import type { ProjectData } from '../engine/project-model/types';

/** Default per-file budget of the CLI: generous (CI machines are slow), but a stalled file cannot stall CI. */
export const DEFAULT_FILE_BUDGET_MS = 20_000;

export type JobOutcome =
  /** `slot`: which thread ran it (a later job can prefer that thread, e.g. for the tree it kept) */
  | { kind: 'done'; reply: WorkerReply; slot: number }
  | { kind: 'timeout'; ms: number }
  | { kind: 'crashed'; error: string };

type JobInput = WorkerJob extends infer J ? (J extends WorkerJob ? Omit<J, 'id'> : never) : never;

interface Slot {
  worker?: Worker;
  ready?: Promise<void>;
  busy: boolean;
  /** the project model the thread holds */
  projectId?: number;
}

interface Pending {
  job: WorkerJob;
  budgetMs: number;
  /** the thread this job should run on when it can (another takes it only while that one is busy) */
  prefer?: number;
  resolve: (o: JobOutcome) => void;
}

function workerSource(): { code: string; eval: boolean } {
  // from source (tests, tsx): load the TypeScript entry through tsx; bundled: dist/scan-worker.js beside cli.js
  if (__filename.endsWith('.ts')) {
    const entry = join(__dirname, 'scan-worker.ts');
    return { code: `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(entry)}).startScanWorker();`, eval: true };
  }
  const bundled = join(__dirname, 'scan-worker.js');
  if (!existsSync(bundled)) throw new Error(`the analysis worker ${bundled} is missing; rebuild Shipsafe`);
  return { code: bundled, eval: false };
}

export class AnalysisPool {
  private readonly slots: Slot[];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;
  /** project models of recent scans, by id (a thread is sent one before its first job that names it) */
  private readonly projects = new Map<number, ProjectData>();
  private nextProjectId = 1;

  get size(): number { return this.slots.length; }

  constructor(size: number) {
    this.slots = Array.from({ length: Math.max(1, size) }, () => ({ busy: false }));
  }

  /**
   * Runs a job in a thread; resolves (never rejects) with its reply, a timeout, or a crash. `prefer`: the thread to
   * run it on when that one is free (another thread takes it rather than wait while that one is busy).
   */
  run(job: JobInput, budgetMs: number, prefer?: number): Promise<JobOutcome> {
    return new Promise((resolve) => {
      this.queue.push({ job: { ...job, id: this.nextId++ } as WorkerJob, budgetMs, resolve, ...(prefer !== undefined ? { prefer } : {}) });
      this.pump();
    });
  }

  /** Registers a scan's project model; jobs that carry the returned id are analysed with it. */
  addProject(data: ProjectData): number {
    const id = this.nextProjectId++;
    this.projects.set(id, data);
    // a long-lived process (the MCP server) keeps only the latest few
    for (const k of this.projects.keys()) if (this.projects.size > 4) this.projects.delete(k);
    return id;
  }

  /** Starts the threads now, so their start-up overlaps with the caller's own work (finding files, config). */
  prewarm(): void {
    for (const slot of this.slots) if (!slot.worker && !this.closed) this.start(slot);
  }

  close(): void {
    this.closed = true;
    for (const s of this.slots) { void s.worker?.terminate(); s.worker = undefined; }
  }

  private start(slot: Slot): void {
    const src = workerSource();
    // node:worker_threads is loaded when a thread is first started: a scan in the CLI's own thread never needs it
    const { Worker } = require('node:worker_threads') as typeof import('node:worker_threads');
    const w = new Worker(src.code, { eval: src.eval, name: 'shipsafe-scan' });
    slot.worker = w;
    slot.ready = new Promise((res) => {
      const onReady = (m: unknown) => {
        if ((m as { ready?: boolean })?.ready) { w.off('message', onReady); res(); }
      };
      w.on('message', onReady);
      w.once('exit', () => res()); // a thread that dies while starting: the job below sees it crash
    });
    // an error while starting or between jobs must not crash the process; a running job has its own listener
    w.on('error', () => undefined);
    w.unref();
  }

  private pump(): void {
    if (this.closed) return;
    for (let i = 0; i < this.slots.length; i++) {
      if (!this.queue.length) return;
      const slot = this.slots[i];
      if (slot.busy) continue;
      // its own jobs first, then one nobody waits for: no preference, or a preferred thread that is busy
      let k = this.queue.findIndex((p) => p.prefer === i);
      if (k < 0) k = this.queue.findIndex((p) => p.prefer === undefined || !this.slots[p.prefer] || this.slots[p.prefer].busy);
      if (k < 0) continue;
      const [p] = this.queue.splice(k, 1);
      slot.busy = true;
      void this.dispatch(slot, p, i);
    }
  }

  private async dispatch(slot: Slot, p: Pending, index: number): Promise<void> {
    if (!slot.worker) this.start(slot);
    const w = slot.worker!;
    w.ref();
    await slot.ready;
    const finish = (o: JobOutcome, restart: boolean) => {
      clearTimeout(timer);
      w.off('message', onMessage);
      w.off('exit', onExit);
      w.off('error', onError);
      if (restart) { if (slot.worker === w) { slot.worker = undefined; slot.projectId = undefined; } void w.terminate(); }
      else w.unref();
      slot.busy = false;
      p.resolve(o);
      this.pump();
    };
    const onMessage = (m: WorkerReply) => { if (m && m.id === p.job.id) finish({ kind: 'done', reply: m, slot: index }, false); };
    const onError = (e: Error) => finish({ kind: 'crashed', error: String(e?.message ?? e).split('\n')[0] }, true);
    const onExit = (code: number) => finish({ kind: 'crashed', error: `the analysis thread exited (code ${code})` }, true);
    const timer = setTimeout(() => finish({ kind: 'timeout', ms: p.budgetMs }, true), p.budgetMs);
    w.on('message', onMessage);
    w.on('error', onError);
    w.on('exit', onExit);
    const pid = p.job.projectId;
    if (pid !== undefined && slot.projectId !== pid) {
      const data = this.projects.get(pid);
      if (data) { w.postMessage({ kind: 'project', projectId: pid, data } satisfies ProjectMessage); slot.projectId = pid; }
    }
    w.postMessage(p.job);
  }
}

/** The most analysis threads a scan uses (also the bound of `--threads`). */
export const MAX_THREADS = 8;

let shared: AnalysisPool | undefined;

/**
 * One pool per process, a thread per core (at most 8): this thread only reads files and writes the report while
 * they analyse. Threads start on first use.
 */
export function sharedPool(): AnalysisPool {
  shared ??= new AnalysisPool(Math.min(MAX_THREADS, Math.max(1, availableParallelism())));
  return shared;
}
