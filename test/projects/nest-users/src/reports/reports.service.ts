import { Injectable } from '@nestjs/common';
import { execSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const REPORT_DIR = '/var/app/reports';

@Injectable()
export class ReportsService {
  async read(name: string) {
    // ruleid: path-traversal
    return readFile(join(REPORT_DIR, name), 'utf8');
  }

  exportAs(format: string) {
    // ruleid: command-injection
    return execSync(`report-tool export --format ${format}`).toString();
  }
}
