/**
 * The engines' names, at the bottom of the graph: the result document, the shard specs and the
 * options table name an engine without importing the engines (or the target they connect to).
 */
export const ENGINE_NAMES = ['native', 'autocannon'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];
export const DEFAULT_ENGINE: EngineName = 'native';
