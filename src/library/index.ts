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
export { parseBundle } from '../bundles/bundle-file.js';
export { lintBundle, assertLintClean, type LintFinding } from '../bundles/lint.js';
export { defaultBundleText } from '../bundles/default-bundle.js';
export { bundleTargets, type BundleTarget, type FilterInventory } from '../bundles/account-filter.js';
export { planBundle, type PlanBundleOptions, type AccountPlan, type BundlePlanRun } from '../bundles/plan-bundle.js';
export { applyBundle, type ApplyBundleOptions, type ApplyReport, type AccountApplyResult, type RoleApplyResult } from '../bundles/apply-bundle.js';
export type { BundleSweepOptions } from '../bundles/sweep.js';
export type { PlanEntry, PlanAction, PlannedRole } from '../bundles/account-plan.js';
export type { RoleChange, ChangeField } from '../bundles/role-diff.js';
export { savedPlan, parseSavedPlan, assertPlanCurrent, type SavedPlan } from '../bundles/plan-file.js';
export { configBlock, mergeConfig, profileNameFor } from '../bundles/config-block.js';
export type { Bundle, BundleRole, TrustSpec, AccountFilter, IdentitySide, PolicyDocument } from '../bundles/model.js';
export { OWNER_TAG_KEY, DEFAULT_ROLE_PATH } from '../bundles/model.js';
export { decodePolicyDocument, normalizePolicy, policiesEqual, danglingPrincipals } from '../policy/policy-normalize.js';
export { trustFindings, sortFindings, type TrustFinding, type TrustContext, type Severity } from '../sweeps/trust/trust-findings.js';
export { trustAuditJob, type TrustAuditOptions } from '../sweeps/trust/trust-job.js';
export { certsJob, type CertsJobOptions } from '../sweeps/certs/certs-job.js';
export type { CertFact, CertType } from '../sweeps/certs/cert-facts.js';
export { certRows, severityOf, type CertSeverity } from '../sweeps/certs/cert-report.js';
export {
  amiCreateJob,
  amiPruneJob,
  planRetention,
  type AmiCreateOptions,
  type AmiPruneOptions,
  type AmiRow,
  type RetentionPolicy,
} from '../sweeps/ami/index.js';
