/**
 * The content of the `world` table, decided here once: row `id` holds `worldRandomNumber(id)`.
 * The table is filled in SQL by the same arithmetic, so a reader (the app, in any language)
 * computes nothing: it reads, and a checker compares with this function.
 */

/** Knuth's multiplicative hash constant (2^32 / φ): spreads consecutive ids over 32 bits. */
const MULTIPLIER = 2_654_435_761;
const TWO_32 = 4_294_967_296;
export const WORLD_MAX_NUMBER = 10_000;
/** The most rows `startDatabase` fills: id × MULTIPLIER stays exact in a double below 2^53. */
export const WORLD_MAX_ROWS = 1_000_000;

/** An integer in 1..10000 from `id` (1..WORLD_MAX_ROWS): a 32-bit multiplicative hash, folded. */
export function worldRandomNumber(id: number): number {
  const x = (id * MULTIPLIER) % TWO_32;
  return (((x ^ (x >>> 16)) >>> 0) % WORLD_MAX_NUMBER) + 1;
}

/** The same arithmetic in PostgreSQL (`#` is bigint xor), over ids 1..$1. */
export const WORLD_FILL_SQL = `INSERT INTO world (id, randomnumber)
  SELECT id, ((x # (x >> 16)) % ${WORLD_MAX_NUMBER} + 1)::integer
  FROM (SELECT id, (id::bigint * ${MULTIPLIER}) % ${TWO_32} AS x
        FROM generate_series(1, $1::integer) AS id) AS hashed`;

export const WORLD_CREATE_SQL =
  'CREATE TABLE world (id integer PRIMARY KEY, randomnumber integer NOT NULL)';

/** Marks a `world` table as stackbench's own: one without it is never dropped (named-database.ts). */
export const WORLD_COMMENT = 'stackbench: the db workload table, dropped after its set';
export const WORLD_COMMENT_SQL = `COMMENT ON TABLE world IS '${WORLD_COMMENT}'`;
