/**
 * Command-line entry: `npm run seed -- ...`, `npm run migrate`, and the jobs of server/ops/jobs.ts
 * (`npm run import`, `scan`, `users`).
 */
const USAGE = `usage:
  npm run seed -- --size small|default|large|huge [--seed N]
  npm run import -- --profile hexwatch|stores|hk-td [--coords wgs84|gcj02] [--assign nearest] <file.csv|file.csv.gz>
  npm run scan      (one hot-spot alert scan now, then deliver due notifications)
  npm run users -- add|list|set-role|disable|enable ...   (npm run users -- --help)
  npm run digest -- [--store FZ-001] [--dry-run]   (the store managers' morning cards now; --dry-run prints them)
  npm run migrate
  npm run backup -- --out <file.jsonl.gz>
  npm run restore -- <file.jsonl.gz>   (into an empty DATA_DIR or database)
import, scan, digest, users, backup (and sync:bitable) hand their job to a running server on the same DATA_DIR.`;

async function main(): Promise<number | null> {
  const [command, ...args] = process.argv.slice(2);
  const { isJobName } = await import('./ops/jobs.js');
  if (command && isJobName(command)) {
    // the registered jobs (server/ops/jobs.ts): beside a running server or directly
    const { runCliJob } = await import('./ops/run-command.js');
    runCliJob(command, args);
    return null;
  }
  switch (command) {
    case 'seed': {
      const { runSeedCommand } = await import('../data/demo/seed.js');
      await runSeedCommand(args);
      return 0;
    }
    case 'migrate': {
      const { parseEnv } = await import('./env.js');
      const { openStore, secretKeyConfig } = await import('./store/index.js');
      const env = parseEnv(process.env);
      const store = await openStore({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR, ...secretKeyConfig(env) });
      await store.migrate({ log: console.log });
      await store.close();
      console.log(`migrated (${store.engine})`);
      return 0;
    }
    case 'restore':
      return (await import('./backup/command.js')).runRestoreCommand(args);
    default:
      console.error(USAGE);
      return 2;
  }
}

main().then(
  (code) => {
    if (code !== null) process.exit(code);
  },
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
