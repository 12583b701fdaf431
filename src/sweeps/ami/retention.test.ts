import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isRolehopError } from '../../errors.js';
import { imagesToDelete, planRetention, type RetentionImage } from './retention.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 31, 12, 0, 0);
const ours = (source: string) => ({ 'rolehop:created-by': 'rolehop', 'rolehop:source-instance': source });

/** An image of `source` made `daysAgo` days before NOW. */
function img(id: string, source: string, daysAgo: number, extra: Partial<RetentionImage> = {}): RetentionImage {
  return { imageId: id, state: 'available', creationDate: new Date(NOW - daysAgo * DAY).toISOString(), tags: ours(source), ...extra };
}

const ids = (images: RetentionImage[]) => images.map((i) => i.imageId);

test('keeps the newest N per source instance and deletes the rest, oldest first', () => {
  const images = [img('a1', 'i-a', 1), img('a3', 'i-a', 3), img('a2', 'i-a', 2), img('a9', 'i-a', 9), img('b5', 'i-b', 5), img('b6', 'i-b', 6)];
  assert.deepEqual(ids(imagesToDelete(images, { keep: 2, now: NOW })), ['a9', 'a3']);
  assert.deepEqual(ids(imagesToDelete(images, { keep: 1, now: NOW })), ['a9', 'b6', 'a3', 'a2']);
  assert.deepEqual(ids(imagesToDelete(images, { keep: 5, now: NOW })), []);
  assert.deepEqual(ids(imagesToDelete(images, { keep: 0, now: NOW })), ['a9', 'b6', 'b5', 'a3', 'a2', 'a1']);
});

test('--older-than also requires the age, measured on the injected clock', () => {
  const images = [img('a1', 'i-a', 1), img('a10', 'i-a', 10), img('a40', 'i-a', 40), img('a41', 'i-a', 41)];
  assert.deepEqual(ids(imagesToDelete(images, { keep: 1, olderThanMs: 30 * DAY, now: NOW })), ['a41', 'a40']);
  // The same images seen 25 days later: a10 is now 35 days old.
  assert.deepEqual(ids(imagesToDelete(images, { keep: 1, olderThanMs: 30 * DAY, now: NOW + 25 * DAY })), ['a41', 'a40', 'a10']);
  // Seen earlier, nothing is old enough.
  assert.deepEqual(ids(imagesToDelete(images, { keep: 1, olderThanMs: 30 * DAY, now: NOW - 20 * DAY })), []);
  const d = planRetention(images, { keep: 1, olderThanMs: 30 * DAY, now: NOW });
  assert.deepEqual(
    d.map((x) => x.reason),
    ['within-keep', 'too-recent', 'beyond-keep', 'beyond-keep'],
  );
});

test('never an image that is not rolehop’s, and never one in use; in-use ones still hold their place', () => {
  const images = [
    img('a1', 'i-a', 1),
    img('a2', 'i-a', 2),
    img('a3', 'i-a', 3),
    { ...img('x', 'i-a', 50), tags: { 'rolehop:source-instance': 'i-a' } },
    { ...img('y', 'i-a', 50), tags: { 'rolehop:created-by': 'someone-else', 'rolehop:source-instance': 'i-a' } },
    { ...img('z', 'i-a', 50), tags: { 'rolehop:created-by': 'rolehop' } },
  ];
  const inUse = new Map([['a2', 'launch template web version 3 (default)']]);
  const d = planRetention(images, { keep: 1, now: NOW, inUse });
  assert.deepEqual(
    d.map((x) => `${x.image.imageId}:${x.reason}:${x.delete}`),
    ['a1:within-keep:false', 'a2:in-use:false', 'a3:beyond-keep:true', 'x:not-rolehop:false', 'y:not-rolehop:false', 'z:not-rolehop:false'],
  );
  assert.equal(d[1]!.usedBy, 'launch template web version 3 (default)');
});

test('failed images take no keep slot; pending ones and unreadable dates wait for a later run', () => {
  const images = [
    img('new-failed', 'i-a', 0.1, { state: 'failed' }),
    img('a1', 'i-a', 1),
    img('a2', 'i-a', 2),
    img('pending', 'i-a', 5, { state: 'pending' }),
    img('nodate', 'i-a', 5, { creationDate: undefined }),
    img('baddate', 'i-a', 5, { creationDate: 'yesterday' }),
    img('disabled', 'i-a', 7, { state: 'disabled' }),
  ];
  const d = planRetention(images, { keep: 2, now: NOW });
  assert.deepEqual(
    d.map((x) => `${x.image.imageId}:${x.reason}`),
    ['new-failed:failed-image', 'a1:within-keep', 'a2:within-keep', 'pending:unsettled', 'nodate:unsettled', 'baddate:unsettled', 'disabled:beyond-keep'],
  );
  // A failed image younger than --older-than stays, like any other.
  assert.equal(planRetention(images, { keep: 2, now: NOW, olderThanMs: DAY })[0]!.reason, 'too-recent');
});

test('equal creation dates are ordered by image id, whatever the input order', () => {
  const a = [img('ami-2', 'i-a', 1), img('ami-1', 'i-a', 1), img('ami-3', 'i-a', 1)];
  const b = [...a].reverse();
  assert.deepEqual(ids(imagesToDelete(a, { keep: 1, now: NOW })).sort(), ['ami-2', 'ami-3']);
  assert.deepEqual(ids(imagesToDelete(b, { keep: 1, now: NOW })).sort(), ['ami-2', 'ami-3']);
});

test('keep must be a whole number ≥ 0', () => {
  for (const keep of [-1, 1.5, Number.NaN])
    assert.throws(
      () => planRetention([], { keep, now: NOW }),
      (e: unknown) => isRolehopError(e) && e.code === 'ERR_USAGE',
    );
});
