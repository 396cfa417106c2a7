/**
 * Reading a small file named by the user or found in the repository (`--config`, `--baseline`, `.shipsafe.json`):
 * only regular files (after following symlinks), and never more than a size cap, so `/dev/zero`, a FIFO or a
 * 14 GB file cannot stall or exhaust the process. Errors never quote the file's content.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

export class ReadFileError extends Error {
  constructor(readonly code: 'ENOENT' | 'EISDIR' | 'ENOTREG' | 'ETOOBIG' | string, message: string) {
    super(message);
    this.name = 'ReadFileError';
  }
}

/** Reads a regular file as UTF-8 (BOM removed unless `keepBom`), at most `maxBytes`. Throws ReadFileError with a plain message. */
export function readSmallTextFile(path: string, maxBytes: number, options: { keepBom?: boolean } = {}): string {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO with no writer must not hang; the fstat below refuses it
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
    throw new ReadFileError(code, code === 'ENOENT' ? 'the file does not exist' : code === 'EISDIR' ? 'this is a folder, not a file' : `the file cannot be read (${code})`);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new ReadFileError('EISDIR', 'this is a folder, not a file');
    if (!st.isFile()) throw new ReadFileError('ENOTREG', 'not a regular file (a device, FIFO or socket); give a regular file');
    if (st.size > maxBytes) throw new ReadFileError('ETOOBIG', `the file is ${st.size} bytes, over the ${maxBytes}-byte limit for this kind of file`);
    // read at most maxBytes + 1 even if the file grows while we read
    const buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
    let n = 0;
    for (;;) {
      const r = readSync(fd, buf, n, buf.length - n, null);
      if (r === 0) break;
      n += r;
      if (n >= buf.length) throw new ReadFileError('ETOOBIG', `the file is over the ${maxBytes}-byte limit for this kind of file`);
    }
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(buf.subarray(0, n));
    return options.keepBom ? text : text.replace(/^\uFEFF/, '');
  } finally {
    closeSync(fd);
  }
}
