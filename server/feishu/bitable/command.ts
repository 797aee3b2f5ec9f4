/**
 * `npm run sync:bitable -- --app-token <app_token> --table <table_id> --mapping mapping.json [--full] [--page-size 500]`
 * (`tsx server/cli.ts sync:bitable`, a job of server/ops/jobs.ts). Uses FEISHU_APP_ID / FEISHU_APP_SECRET / FEISHU_BASE_URL and the configured database (handed to
 * a running server when one holds the DuckDB file: then the server's Feishu settings apply).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { JobArgs, JobProgress } from '../../ops/job.js';
import type { IncidentStore } from '../../store/types.js';
import { describeZodError } from '../../trpc.js';
import { feishuConfig } from '../auth/sign-in.js';
import { MappingSchema } from './mapping.js';
import { syncBitable } from './sync.js';

const USAGE = 'usage: npm run sync:bitable -- --app-token <app_token> --table <table_id> --mapping mapping.json [--full] [--page-size 500]';

/** The sync as a job (server/ops/jobs.ts); the mapping file is read relative to the caller's folder. */
export async function runBitableJob(store: IncidentStore, job: JobArgs, progress: JobProgress): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...job.argv],
      options: {
        'app-token': { type: 'string' },
        table: { type: 'string' },
        mapping: { type: 'string' },
        full: { type: 'boolean', default: false },
        'page-size': { type: 'string', default: '500' },
      },
      strict: true,
    }));
  } catch (error) {
    progress.err(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const appToken = values['app-token'];
  const table = values.table;
  if (!appToken || !table || !values.mapping) {
    progress.err(USAGE);
    return 2;
  }
  const pageSize = Number(values['page-size']);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 500) {
    progress.err('--page-size: must be a whole number 1..500');
    return 2;
  }
  const mappingFile = resolve(job.cwd, values.mapping);
  let mappingJson: unknown;
  try {
    mappingJson = JSON.parse(readFileSync(mappingFile, 'utf8'));
  } catch (error) {
    progress.err(`--mapping: cannot read ${mappingFile} as JSON: ${(error as Error).message}`);
    return 2;
  }
  const parsed = MappingSchema.safeParse(mappingJson);
  if (!parsed.success) {
    progress.err(`${values.mapping}: ${describeZodError(parsed.error)}`);
    return 2;
  }
  const config = feishuConfig(job.env);
  if (!config) {
    progress.err('FEISHU_APP_ID and FEISHU_APP_SECRET must be set');
    return 2;
  }
  const report = await syncBitable(store, config, { appToken, tableId: table, mapping: parsed.data, full: values.full, pageSize });
  progress.out(
    `Bitable ${table}: ${report.records} records in ${report.pages} pages; ${report.inserted} new, ${report.duplicates} already imported, ` +
      `${report.unchanged} unchanged, ${report.rejected.length} not mappable`,
  );
  for (const r of report.rejected.slice(0, 50)) progress.out(`  ${r.recordId}: ${r.message}`);
  if (report.rejected.length > 50) progress.out(`  ... and ${report.rejected.length - 50} more`);
  return 0;
}
