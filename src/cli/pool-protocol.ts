/** Messages between the CLI (pool.ts) and its analysis threads (scan-worker.ts). Plain data only. */
import type { analyzeText } from '../engine/analyze';
import type { ShipsafeConfig } from '../engine/config/config';
import type { ScanOutput } from '../engine/project/scan';
import type { FileSummary, ProjectTaintData } from '../engine/taint/summaries';

interface JobBase {
  id: number;
  config: ShipsafeConfig;
  ruleIds: string[];
}

export type WorkerJob =
  | (JobBase & { kind: 'file'; file: string; root: string; reportSyntaxErrors?: boolean; project?: ProjectTaintData; summarize?: boolean })
  | (JobBase & { kind: 'text' | 'text-only'; path: string; text: string });

export type WorkerReply =
  | { id: number; ok: true; out: ScanOutput; summary?: FileSummary }
  | { id: number; ok: true; result: ReturnType<typeof analyzeText> }
  | { id: number; ok: false; error: string };
