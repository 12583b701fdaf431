/**
 * AWS credentials as rolehop passes them around. Structurally compatible with
 * the SDK v3 `AwsCredentialIdentity`, so values can be handed to any client.
 */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** Present for temporary (ASIA...) credentials. */
  sessionToken?: string;
  /** When the credentials stop working; absent for long-lived keys. */
  expiration?: Date;
  /** The account the credentials belong to, when known. */
  accountId?: string;
}

/** A long-lived IAM user key as kept in a {@link SecretStore}. */
export interface StoredKey {
  accessKeyId: string;
  secretAccessKey: string;
}
