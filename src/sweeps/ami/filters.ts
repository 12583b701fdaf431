import type { Filter } from '@aws-sdk/client-ec2';
import { ErrorCodes, RolehopError } from '../../index.js';

const HINT = 'Use --filter tag:Key=Value or --filter tag-key:Key, for example --filter tag:backup=daily.';

/** EC2 allows tag keys of up to 128 characters and values of up to 256. */
const MAX_KEY = 128;
const MAX_VALUE = 256;

function bad(spec: string, why: string): never {
  throw new RolehopError(ErrorCodes.USAGE, `--filter "${spec}" ${why}`, { hint: HINT });
}

/**
 * Parses `--filter` values into EC2 `DescribeInstances` filters, so a typo
 * fails before any AWS call (ERR_USAGE, exit 2, with a hint). Accepted forms:
 * `tag:Key=Value` (the tag has that value; EC2's `*` and `?` wildcards pass
 * through) and `tag-key:Key` (the tag exists, any value). The key ends at the
 * first `=`. A key given twice matches either value (one EC2 filter with two
 * values); different filters must all match. An empty list gives no filters.
 *
 * @throws RolehopError ERR_USAGE for any other form, an empty key or value, or one too long for EC2.
 */
export function parseInstanceFilters(specs: readonly string[]): Filter[] {
  const byName = new Map<string, string[]>();
  for (const spec of specs) {
    let name: string;
    let value: string;
    if (spec.startsWith('tag:')) {
      const body = spec.slice(4);
      const eq = body.indexOf('=');
      if (eq < 0) bad(spec, 'has no value');
      const key = body.slice(0, eq);
      value = body.slice(eq + 1);
      if (!key) bad(spec, 'has an empty tag key');
      if (!value) bad(spec, 'has an empty value (to match any value, use tag-key:Key)');
      if (key.length > MAX_KEY) bad(spec, `has a tag key over ${MAX_KEY} characters`);
      if (value.length > MAX_VALUE) bad(spec, `has a value over ${MAX_VALUE} characters`);
      name = `tag:${key}`;
    } else if (spec.startsWith('tag-key:')) {
      value = spec.slice(8);
      if (!value) bad(spec, 'has an empty tag key');
      if (value.includes('=')) bad(spec, 'gives a value to tag-key (use tag:Key=Value)');
      if (value.length > MAX_KEY) bad(spec, `has a tag key over ${MAX_KEY} characters`);
      name = 'tag-key';
    } else {
      bad(spec, 'is not a tag filter');
    }
    const values = byName.get(name) ?? [];
    if (!values.includes(value)) values.push(value);
    byName.set(name, values);
  }
  return [...byName].map(([Name, Values]) => ({ Name, Values }));
}

/** Instance states an AMI can be made from: CreateImage refuses pending and terminated instances. */
export const IMAGEABLE_STATES = ['running', 'stopped'] as const;

/** Every state but `terminated`: an instance in one of them still counts as using its AMI. */
export const LIVE_STATES = ['pending', 'running', 'shutting-down', 'stopping', 'stopped'] as const;

/** `filters` plus an `instance-state-name` filter for `states`. */
export function withStates(filters: readonly Filter[], states: readonly string[]): Filter[] {
  return [...filters, { Name: 'instance-state-name', Values: [...states] }];
}
