/**
 * The fan-out library: per-account credentials and clients, and the engine
 * the `rolehop run` command is built on. Re-exported by the package entry.
 */
export { AccountLibrary, type AccountHandle, type ForAccountOptions } from './for-account.js';
export { fanOut, DEFAULT_CONCURRENCY, DEFAULT_ROLE, type FanOutOptions, type FanOutRun } from '../engine/fan-out.js';
export type { BrokerSource } from '../engine/broker-source.js';
export type { ClientConstructor, FanOutStats, FanOutTarget, Job, JobContext, ResultError, TargetResult } from '../engine/types.js';
export { parseShard, type Shard } from '../engine/shard.js';
export { partitionOf, roleArnFor, type Partition } from '../aws/partition.js';
export { DEFAULT_ENABLED_REGIONS } from '../engine/regions.js';
