import { test } from 'node:test';
import assert from 'node:assert/strict';
import { amiRowText, countActions } from './ami-rows.js';
import type { AmiRow } from '../../sweeps/ami/index.js';

const base = { account: '111111111111', region: 'eu-west-1', instance: 'i-0abc', instanceName: 'web', snapshots: ['snap-1', 'snap-2'] };

test('done rows go to stdout, failures to stderr with their code; AWS text is escaped', () => {
  const created: AmiRow = { ...base, image: 'ami-1', action: 'created', name: 'i-0abc-20261203T101500Z', state: 'available' };
  assert.deepEqual(amiRowText(created), {
    out: '✓ 111111111111 eu-west-1 i-0abc (web): created ami-1 ("i-0abc-20261203T101500Z"), 2 snapshots tagged, available\n',
    err: '',
  });
  const failed: AmiRow = {
    ...base,
    instanceName: 'evil\u001b[2J',
    image: null,
    snapshots: [],
    action: 'failed',
    error: { code: 'ERR_AWS_ACCESS_DENIED', message: 'CreateImage i-0abc failed: UnauthorizedOperation: no' },
  };
  const t = amiRowText(failed);
  assert.equal(t.out, '');
  assert.match(t.err, /^✗ 111111111111 eu-west-1 i-0abc \(evil\\x1b\[2J\): ERR_AWS_ACCESS_DENIED CreateImage/);
  assert.ok(!t.err.includes('\u001b'));
});

test('a deregistered AMI whose snapshot stayed gives both lines', () => {
  const r: AmiRow = {
    ...base,
    image: 'ami-1',
    snapshots: ['snap-1'],
    action: 'deregistered',
    created: '2026-12-01T10:00:00.000Z',
    error: { code: 'ERR_AWS', message: 'DeleteSnapshot snap-2 failed: InvalidSnapshot.InUse: in use by ami-9' },
  };
  const t = amiRowText(r);
  assert.match(t.out, /deregistered ami-1 \(created 2026-12-01T10:00:00.000Z\), deleted 1 snapshot\n$/);
  assert.match(t.err, /✗ .* ami-1: ERR_AWS DeleteSnapshot snap-2/);
});

test('dry-run, kept and orphan rows say what would happen', () => {
  assert.match(amiRowText({ ...base, image: null, snapshots: [], action: 'would-create', name: 'n-1' }).out, /^· .*would create "n-1"/);
  assert.match(amiRowText({ ...base, image: 'ami-1', action: 'would-deregister' }).out, /would deregister ami-1 and delete 2 snapshots/);
  assert.match(
    amiRowText({ ...base, image: 'ami-1', snapshots: [], action: 'kept', reason: 'in use by instance i-9 (running)' }).out,
    /kept ami-1: in use by instance i-9/,
  );
  assert.match(amiRowText({ ...base, image: 'ami-gone', action: 'would-delete-snapshots' }).out, /would delete 2 snapshots left by ami-gone/);
  assert.deepEqual(
    [
      ...countActions([
        { ...base, image: 'a', action: 'kept' },
        { ...base, image: 'b', action: 'kept' },
      ]),
    ],
    [['kept', 2]],
  );
});

test('what a Ctrl-C left is a not-started line on stdout, not a failure', () => {
  const create: AmiRow = { ...base, snapshots: [], image: null, action: 'not-started', name: 'i-0abc-20261203T101500Z' };
  assert.deepEqual(amiRowText(create), { out: '- 111111111111 eu-west-1 i-0abc (web): not started: the run was stopped\n', err: '' });
  const prune: AmiRow = { ...base, snapshots: [], image: 'ami-1', action: 'not-started', name: 'nightly' };
  assert.deepEqual(amiRowText(prune), { out: '- 111111111111 eu-west-1 i-0abc (web): not started (ami-1 ("nightly")): the run was stopped\n', err: '' });
});
