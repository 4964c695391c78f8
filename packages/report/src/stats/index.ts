export { jainIndex, maxOverMean } from './balance.js';
export { adjustPValues, type Correction } from './multiple-comparisons.js';
export { type PairEffect, type PairSample, pairEffects } from './pairwise.js';
export { mannWhitneyU, minAchievableP, type RankTest } from './rank-test.js';
export { minSamplesForConfidence, type Summary, summarize } from './summary.js';
