/**
 * A read model following the live Fabric network into a PostgreSQL database, as the api's
 * projector does, in a process of its own that a fault test can kill mid-batch:
 * `node tests/dist/support/projectorProcess.js <database url> [batch size]`. Prints `following`
 * once started.
 */
import { tmpdir } from 'node:os';
import { migrate, openDatabase, Projector } from '@fabpool/api';
import { FabricLedger } from '@fabpool/network';

const [url, batchSize] = process.argv.slice(2);
if (url === undefined) throw new Error('usage: projectorProcess.js <database url> [batch size]');
const ledger = await FabricLedger.open();
const database = await openDatabase({ url, dir: tmpdir() });
const pool = database.pool;
await migrate(pool);
const projector = new Projector(ledger, pool, undefined, { batchSize: Number(batchSize ?? 50) });
await projector.start();
process.stdout.write('following\n');
process.on('SIGTERM', () => {
  void projector
    .stop()
    .then(() => database.close())
    .then(() => ledger.close())
    .then(() => process.exit(0));
});
