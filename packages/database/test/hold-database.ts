/**
 * Test fixture (not a test): starts a database in the directory given, opens one client, prints
 * `{"pid":…,"dir":…,"backends":…}` and waits to be killed. For the SIGKILL-of-the-parent test.
 */
import pg from 'pg';
import { startDatabase } from '../src/index.js';

const parentDir = process.argv[2] as string;
const db = await startDatabase({ rows: 10, parentDir, maxConnections: 5 });
const client = new pg.Client({
  host: db.socketDir,
  port: db.port,
  database: db.name,
  user: db.user,
});
client.on('error', () => {});
await client.connect();
await client.query('SELECT 1');
process.stdout.write(
  `${JSON.stringify({ pid: db.pid, dir: db.dir, connections: db.connections() })}\n`,
);
setInterval(() => {}, 60_000);
