/** Messages between the CLI (pool.ts) and its analysis threads (scan-worker.ts). Plain data only. */
import type { analyzeText } from '../engine/analyze';
import type { ShipsafeConfig } from '../engine/config/config';
import type { ScanOutput } from '../engine/project/scan';
import type { ModuleFacts, ProjectData } from '../engine/project-model/types';
import type { FileSummary, ProjectTaintData } from '../engine/taint/summaries';
import type { ModelReads } from './model-reads';

interface JobBase {
  id: number;
  config: ShipsafeConfig;
  ruleIds: string[];
  /** the scan's project model, sent to the thread before its first job of that scan (see ProjectMessage) */
  projectId?: number;
}

/** The project model of a scan, as data: a thread keeps the latest one and uses it for jobs that name its id. */
export interface ProjectMessage { kind: 'project'; projectId: number; data: ProjectData }

export type WorkerJob =
  /**
   * a file read by the CLI: analysed as scanFiles would (path is the relative path reports use); `taint`: what other
   * modules pass into it (inter-procedural taint)
   */
  | (JobBase & {
    kind: 'source'; path: string; text: string; reportSyntaxErrors: boolean; taint?: ProjectTaintData;
    /** reply with what the analysis asked the project model (model-reads.ts), for the result cache */
    recordReads?: boolean;
  })
  | (JobBase & { kind: 'text' | 'text-only'; path: string; text: string })
  /**
   * the project model's facts of a JavaScript/TypeScript file (the CLI builds the model from them); `keep`: the thread
   * keeps the parsed tree for the file's analysis job (sent to the same thread when it is free), saving a parse;
   * `summarize`: also its summary for the project's taint, with the scan's configuration (summarizeForAnalysis)
   */
  | (Omit<JobBase, 'config' | 'ruleIds'> & { kind: 'facts'; path: string; text: string; keep?: boolean; summarize?: ShipsafeConfig });

export type WorkerReply =
  | { id: number; ok: true; out: ScanOutput; reads?: ModelReads | 'all' }
  | { id: number; ok: true; result: ReturnType<typeof analyzeText> }
  | { id: number; ok: true; facts: ModuleFacts | null; summary?: FileSummary | null }
  | { id: number; ok: false; error: string };
