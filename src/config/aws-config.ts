/** Parsed `~/.aws/config`: pure data, produced by `loadAwsConfig`. */

/** One profile's keys (lower-cased) and values, as written. */
export type ProfileSection = Readonly<Record<string, string>>;

export interface AwsConfig {
  /** Path the config was read from (for messages). */
  path: string;
  /** Profiles by name (`[default]` and `[profile NAME]`). */
  profiles: ReadonlyMap<string, ProfileSection>;
  /** `[services NAME]` sections: flattened `sts.endpoint_url` style keys. */
  services: ReadonlyMap<string, ProfileSection>;
  /** `[sso-session NAME]` sections (IAM Identity Center logins), by name; absent in configs built by hand. */
  ssoSessions?: ReadonlyMap<string, ProfileSection>;
  /** Non-fatal findings while loading (e.g. both `[default]` and `[profile default]`), for the CLI to show. */
  warnings?: readonly string[];
}
