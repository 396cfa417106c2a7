/**
 * `shipsafe scan --cache` on a tree where nothing changed since the last scan: the last report of the same scan,
 * checked by each file's metadata (size, times, inode) instead of its text. The content-hash cache (result-cache.ts)
 * still reads and hashes every file and builds the project model from its stored facts; when no file changed, none of
 * that can change the report, and this costs a `stat` per file.
 *
 * The same idea as git's index: a file whose size, inode, modification and change times are the ones recorded is taken
 * as unchanged. The change time (ctime) cannot be set back by a program (`touch -r`, `utimes` set only the modification
 * time, and set ctime to now), so an edit that keeps size and modification time still shows. What the snapshot binds:
 * - the content cache's salt (Shipsafe's build, the Node major version, the configuration, the rules, the root, the
 *   report options that change a result), the scan's file list, and each listed file's metadata;
 * - the metadata of the root's package.json, tsconfig.json and jsconfig.json, which the project model reads even when
 *   the scan does not list them (or that they are missing).
 *
 * A snapshot is written only after a scan whose every result the content cache could store (none ran out of time), and
 * only when every file's metadata was taken before the scan read it and is older than the scan's start by more than
 * `RACY_MARGIN_MS`: an edit made during the scan, or in the same tick of a coarse file-system clock as the recorded
 * metadata, then always changes what is recorded (git's "racily clean" files). A snapshot that is unreadable, damaged
 * or for another scan is ignored; the scan then runs on the content cache, which gives the same report.
 *
 * `--cache-strategy content` turns it off: every file is then read and hashed, as in CI where a fresh checkout gives
 * every file new metadata anyway.
 */
import { mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ScanOutput } from '../engine/project/scan';
import { sha256, isScanOutput } from './result-cache';

export const SNAPSHOT_FILE = 'scan-snapshot.json';
const FORMAT = 'shipsafe-scan-snapshot';
const FORMAT_VERSION = 1;

/**
 * A file whose change or modification time is this close to the scan's start (or later) is not recorded: a coarse
 * file-system clock (FAT: 2 s) could give an edit made during the scan the very same times.
 */
export const RACY_MARGIN_MS = 2_500;

/** The files the project model reads from the root even when the scan does not list them (project-model/build.ts). */
export const ROOT_CONFIGS = ['package.json', 'tsconfig.json', 'jsconfig.json'];

/** What a scan's snapshot is for: the files (absolute paths, as scanned, plus the root's configuration files) and a key. */
export interface SnapshotScope {
  /** the content cache's salt, the root and the scanned files, hashed */
  readonly key: string;
  /** the paths whose metadata is recorded, in order */
  readonly paths: readonly string[];
}

export function snapshotScope(salt: string, root: string, files: readonly string[]): SnapshotScope {
  const paths = [...files, ...ROOT_CONFIGS.map((n) => join(root, n))];
  return { key: sha256(JSON.stringify({ salt, root, paths })), paths };
}

/**
 * Each path's metadata, as a string (`-` for a path that does not exist), and the latest of their change and
 * modification times in ms; undefined when some path cannot be stat'ed for another reason.
 */
export function metadataOf(paths: readonly string[]): { sigs: string[]; newestMs: number } | undefined {
  const sigs: string[] = [];
  let newest = 0n;
  for (const p of paths) {
    let st;
    try {
      st = statSync(p, { bigint: true, throwIfNoEntry: false });
    } catch {
      return undefined;
    }
    if (!st) { sigs.push('-'); continue; }
    if (st.mtimeNs > newest) newest = st.mtimeNs;
    if (st.ctimeNs > newest) newest = st.ctimeNs;
    sigs.push(`${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}:${st.mode}`);
  }
  return { sigs, newestMs: Number(newest / 1_000_000n) };
}

interface SnapshotFile { format: string; version: number; key: string; sigs: string[]; out: ScanOutput }

/**
 * The report of the last scan of `scope`, when every recorded file still has its metadata (`now`: the metadata taken
 * at this scan's start); undefined otherwise.
 */
export function readSnapshot(dir: string, scope: SnapshotScope, now: readonly string[]): ScanOutput | undefined {
  let data: SnapshotFile;
  try {
    data = JSON.parse(readFileSync(join(dir, SNAPSHOT_FILE), 'utf8')) as SnapshotFile;
  } catch {
    return undefined;
  }
  if (!data || data.format !== FORMAT || data.version !== FORMAT_VERSION || data.key !== scope.key || !Array.isArray(data.sigs)
    || data.sigs.length !== now.length || !isScanOutput(data.out)) return undefined;
  for (let i = 0; i < now.length; i++) if (data.sigs[i] !== now[i]) return undefined;
  return data.out;
}

/**
 * Records the report of a scan that started at `startedMs` with this metadata (taken before it read any file), when
 * no file was changed within RACY_MARGIN_MS of that start. Never throws: a snapshot not written costs only speed.
 * Returns whether it was written.
 */
export function writeSnapshot(dir: string, scope: SnapshotScope, at: { sigs: readonly string[]; newestMs: number }, startedMs: number, out: ScanOutput): boolean {
  const file = join(dir, SNAPSHOT_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  if (at.newestMs > startedMs - RACY_MARGIN_MS) {
    // a file changed just before (or during) the scan: an older snapshot no longer holds for it anyway
    try { unlinkSync(file); } catch { /* none */ }
    return false;
  }
  try {
    mkdirSync(dir, { recursive: true });
    const data: SnapshotFile = { format: FORMAT, version: FORMAT_VERSION, key: scope.key, sigs: [...at.sigs], out };
    writeFileSync(tmp, JSON.stringify(data));
    renameSync(tmp, file);
    return true;
  } catch {
    try { unlinkSync(tmp); } catch { /* not written */ }
    return false;
  }
}
