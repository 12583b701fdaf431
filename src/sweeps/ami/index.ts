/**
 * AMI backups with retention (`rolehop ami create|prune`): the per-target
 * jobs and their pure parts. The jobs use only rolehop's public API and
 * the SDK, so they double as examples of jobs of your own.
 */
export { amiCreateJob, DEFAULT_WAIT_TIMEOUT_MS, SNAPSHOT_GRACE_MS, type AmiCreateOptions } from './create-job.js';
export { amiPruneJob, type AmiPruneOptions } from './prune-job.js';
export { planRetention, imagesToDelete, type RetentionImage, type RetentionPolicy, type RetentionDecision, type RetentionReason } from './retention.js';
export { parseInstanceFilters, withStates, IMAGEABLE_STATES, LIVE_STATES } from './filters.js';
export { checkNameTemplate, renderImageName, utcStamp, DEFAULT_NAME_TEMPLATE, type NameFields } from './name-template.js';
export { parseDuration, type DurationUnit } from './duration.js';
export { AmiTags, CREATED_BY_VALUE, backupTags, newRunId } from './tags.js';
export { isFailedRow, type AmiRow, type AmiAction, type AmiRowError } from './rows.js';
