/**
 * `node --import tsx tests/support/migrate-child.ts <duckdb file> <batch rows>`: migrates the
 * file and prints the migration's progress lines; the crash test SIGKILLs it halfway.
 */
import { DuckDbStore } from '../../server/store/duckdb.js';

const [path, batchRows] = process.argv.slice(2);
const store = await DuckDbStore.open(path!);
await store.migrate({ log: (line) => console.log(line), batchRows: Number(batchRows) });
await store.close();
console.log('migrated');
