import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ReportsService } from './reports.service';

@Controller('reports')
export class ReportsController {
  private readonly reports = new ReportsService();

  @Get('download')
  async download(@Query('file') file: string, @Res() res: Response) {
    res.send(await this.reports.read(file));
  }

  @Get('export')
  async export(@Query('format') format: string) {
    return this.reports.exportAs(format);
  }
}
