import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EC2Client, Image } from '@aws-sdk/client-ec2';
import { isSettled, pollImages, snapshotIds, snapshotsKnown } from './wait-images.js';

/** A fake EC2 client: answers DescribeImages from `states`, one entry per poll. */
function fakeEc2(script: Record<string, Image['State'][]>) {
  const polls: string[][] = [];
  const client = {
    async send(cmd: { input: { Filters?: { Name: string; Values: string[] }[] } }) {
      const ids = cmd.input.Filters?.find((f) => f.Name === 'image-id')?.Values ?? [];
      polls.push(ids);
      const n = polls.length - 1;
      return {
        Images: ids.flatMap((id) => {
          const states = script[id] ?? [];
          const state = states[Math.min(n, states.length - 1)];
          return state ? [{ ImageId: id, State: state }] : []; // not listed yet
        }),
      };
    },
  };
  return { client: client as unknown as EC2Client, polls };
}

function fakeTime() {
  let t = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
  };
}

test('polls until every image settles, asking only for those still waited on, with doubling pauses', async () => {
  const { client, polls } = fakeEc2({
    'ami-a': ['pending', 'available'],
    'ami-b': ['pending', 'pending', 'pending', 'failed'],
    'ami-c': [undefined, 'available'],
  });
  const time = fakeTime();
  const r = await pollImages(client, ['ami-a', 'ami-b', 'ami-c', 'ami-a'], isSettled, { timeoutMs: 60_000, ...time });
  assert.deepEqual([...r.done].sort(), ['ami-a', 'ami-b', 'ami-c']);
  assert.equal(r.images.get('ami-b')?.State, 'failed');
  assert.deepEqual(polls, [['ami-a', 'ami-b', 'ami-c'], ['ami-a', 'ami-b', 'ami-c'], ['ami-b'], ['ami-b']]);
  assert.deepEqual(time.sleeps, [2000, 4000, 8000]);
});

test('gives up at the timeout, the last pause cut to what is left', async () => {
  const { client } = fakeEc2({ 'ami-a': ['pending'] });
  const time = fakeTime();
  const r = await pollImages(client, ['ami-a'], isSettled, { timeoutMs: 10_000, maxDelayMs: 4000, ...time });
  assert.equal(r.done.size, 0);
  assert.equal(r.images.get('ami-a')?.State, 'pending');
  assert.deepEqual(time.sleeps, [2000, 4000, 4000]);
});

test('nothing to wait for: no call', async () => {
  const { client, polls } = fakeEc2({});
  const r = await pollImages(client, [], isSettled, { timeoutMs: 1000, ...fakeTime() });
  assert.equal(r.done.size, 0);
  assert.equal(polls.length, 0);
});

test('snapshot ids of a pending image are known once every EBS mapping names one', () => {
  const pending: Image = {
    State: 'pending',
    BlockDeviceMappings: [
      { DeviceName: '/dev/sda1', Ebs: { SnapshotId: 'snap-1' } },
      { DeviceName: '/dev/sdb', Ebs: {} },
    ],
  };
  assert.equal(snapshotsKnown(pending), false);
  assert.deepEqual(snapshotIds(pending), ['snap-1']);
  pending.BlockDeviceMappings![1]!.Ebs!.SnapshotId = 'snap-2';
  assert.equal(snapshotsKnown(pending), true);
  // Instance-store mappings have no snapshot.
  assert.equal(snapshotsKnown({ State: 'pending', BlockDeviceMappings: [{ DeviceName: '/dev/sdc', VirtualName: 'ephemeral0' }] }), true);
  assert.deepEqual(snapshotIds(undefined), []);
});
