/**
 * Command-line entry: `npm run seed -- ...`, `npm run import -- ...`, `npm run migrate`.
 */
const USAGE = `usage:
  npm run seed -- --size small|default|large|huge [--seed N]
  npm run import -- --profile hexwatch|stores|hk-td [--coords wgs84|gcj02] [--assign nearest] <file.csv|file.csv.gz>
  npm run scan      (one hot-spot alert scan now, then deliver due notifications)
  npm run migrate`;

async function main(): Promise<number> {
  const [command, ...args] = process.argv.slice(2);
  switch (command) {
    case 'seed': {
      const { runSeedCommand } = await import('../data/demo/seed.js');
      await runSeedCommand(args);
      return 0;
    }
    case 'import': {
      const { runImportCommand } = await import('./ingest/import-command.js');
      return runImportCommand(args);
    }
    case 'scan': {
      // one alert scan now, then deliver what is due (`npm run scan`)
      const { parseEnv } = await import('./env.js');
      const { openStore } = await import('./store/index.js');
      const { runAlertScan } = await import('./jobs/alert-scan.js');
      const { deliverDue, notifierFactory } = await import('./feishu/delivery.js');
      const { appBotConfig } = await import('./jobs/scheduler.js');
      const env = parseEnv(process.env);
      const store = await openStore({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
      try {
        await store.migrate();
        const report = await runAlertScan(store, { publicUrl: env.PUBLIC_URL ?? `http://localhost:${env.PORT}` });
        const delivered = await deliverDue(store.alerts, notifierFactory(appBotConfig(env)));
        console.log(`scan: ${report.cells} cells in ${report.cities} city(ies), ${report.candidates} emerging, ${report.created.length} new alert(s); delivered ${delivered.sent}, retry ${delivered.retried + delivered.rateLimited}, failed ${delivered.failed}`);
      } finally {
        await store.close();
      }
      return 0;
    }
    case 'migrate': {
      const { parseEnv } = await import('./env.js');
      const { openStore } = await import('./store/index.js');
      const env = parseEnv(process.env);
      const store = await openStore({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
      await store.migrate({ log: console.log });
      await store.close();
      console.log(`migrated (${store.engine})`);
      return 0;
    }
    default:
      console.error(USAGE);
      return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    const message = error instanceof Error ? error.message : String(error);
    // DuckDB allows one writing process per file
    if (/Could not set lock|Conflicting lock/.test(message)) {
      console.error('The database file is in use by another process (is `npm start` running?). Stop it first.');
    } else {
      console.error(message);
    }
    process.exit(1);
  },
);
