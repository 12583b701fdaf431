/** Cached credentials are served while more than this is left (botocore's advisory window). */
export const DEFAULT_MIN_TTL_SECONDS = 15 * 60;
