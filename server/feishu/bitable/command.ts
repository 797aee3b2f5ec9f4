/**
 * `npm run sync:bitable -- --app-token <app_token> --table <table_id> --mapping mapping.json [--full] [--page-size 500]`
 * Uses FEISHU_APP_ID / FEISHU_APP_SECRET / FEISHU_BASE_URL and the configured database.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseEnv } from '../../env.js';
import { openStore } from '../../store/index.js';
import { describeZodError } from '../../trpc.js';
import { feishuConfig } from '../auth/sign-in.js';
import { MappingSchema } from './mapping.js';
import { syncBitable } from './sync.js';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'app-token': { type: 'string' },
      table: { type: 'string' },
      mapping: { type: 'string' },
      full: { type: 'boolean', default: false },
      'page-size': { type: 'string', default: '500' },
    },
  });
  const appToken = values['app-token'];
  const table = values.table;
  if (!appToken || !table || !values.mapping) {
    console.error('usage: npm run sync:bitable -- --app-token <app_token> --table <table_id> --mapping mapping.json [--full]');
    return 2;
  }
  const pageSize = Number(values['page-size']);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 500) {
    console.error('--page-size: must be a whole number 1..500');
    return 2;
  }
  const parsed = MappingSchema.safeParse(JSON.parse(readFileSync(values.mapping, 'utf8')));
  if (!parsed.success) {
    console.error(`${values.mapping}: ${describeZodError(parsed.error)}`);
    return 2;
  }
  const env = parseEnv(process.env);
  const config = feishuConfig(env);
  if (!config) {
    console.error('FEISHU_APP_ID and FEISHU_APP_SECRET must be set');
    return 2;
  }
  const store = await openStore({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
  try {
    await store.migrate();
    const report = await syncBitable(store, config, { appToken, tableId: table, mapping: parsed.data, full: values.full, pageSize });
    console.log(
      `Bitable ${table}: ${report.records} records in ${report.pages} pages; ${report.inserted} new, ${report.duplicates} already imported, ` +
        `${report.unchanged} unchanged, ${report.rejected.length} not mappable`,
    );
    for (const r of report.rejected.slice(0, 50)) console.log(`  ${r.recordId}: ${r.message}`);
    if (report.rejected.length > 50) console.log(`  ... and ${report.rejected.length - 50} more`);
    return 0;
  } finally {
    await store.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error('sync:bitable failed:', error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
