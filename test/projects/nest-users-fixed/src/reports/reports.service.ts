import { Injectable } from '@nestjs/common';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

const REPORT_DIR = '/var/app/reports';
const FORMATS = new Set(['csv', 'pdf']);

@Injectable()
export class ReportsService {
  async read(name: string) {
    // ok: path-traversal
    return readFile(join(REPORT_DIR, basename(name)), 'utf8');
  }

  exportAs(format: string) {
    if (!FORMATS.has(format)) throw new Error('unknown format');
    // ok: command-injection
    return execFileSync('report-tool', ['export', '--format', format]).toString();
  }
}
