export { DATABASE_NAME, DATABASE_USER, type Database } from './database.js';
export { DatabaseError, type DatabaseErrorCode } from './errors.js';
export { findPostgres, POSTGRES_INSTALL, type PostgresInstall } from './install.js';
export type { StartOptions } from './options.js';
export { isClientBackend } from './processes.js';
export { RUN_DIR_PREFIX } from './run-dir.js';
export { PARENT_DEATH_SIGNAL } from './server.js';
export { startDatabase } from './start.js';
export { WORLD_FILL_SQL, WORLD_MAX_NUMBER, WORLD_MAX_ROWS, worldRandomNumber } from './world.js';
