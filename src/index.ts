/**
 * rolehop's library entry. Every export is named here on purpose: this is
 * the public, typed API (see README "Library").
 */
export { RolehopError, ErrorCodes, ExitCodes, isRolehopError, exitCodeFor } from './errors.js';
export type { ErrorCode, RolehopErrorOptions } from './errors.js';
export type { Credentials, StoredKey } from './credentials/types.js';
export type { Context, Prompter, Logger, Clock, MfaRequest } from './io/context.js';
export type { Plan, PlanOptions, SourceStep, SessionStep, HopStep, Endpoints } from './config/plan.js';
export type { Broker, ResolvedCredentials, CredentialRequest, AssumeRequest } from './sessions/broker-contract.js';
export type { SecretStore, StoreKind } from './stores/contract.js';
export { createBroker } from './sessions/broker.js';
export type { BrokerDeps } from './sessions/broker.js';
export { credentialEnv } from './credentials/child-env.js';
export { createDefaultBroker } from './library/default-broker.js';
export type { DefaultBrokerOptions } from './library/default-broker.js';
export * from './library/index.js';
export { forAccount, setDefaultBroker } from './package-library.js';
