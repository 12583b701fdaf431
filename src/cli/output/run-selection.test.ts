import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import type { RegionChoice } from '../../engine/regions.js';
import { writeSelection } from './run-selection.js';

const accounts = [{ account: '111111111111', name: 'prod' }, { account: '222222222222' }];

async function written(regions: RegionChoice, json: boolean): Promise<string> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (c: Buffer) => (text += c.toString()));
  await writeSelection(out, accounts, regions, { json, role: 'Audit' });
  return text;
}

const lastLine = (s: string) => s.trimEnd().split('\n').at(-1);

describe('writeSelection', () => {
  it('listed regions: the count, the names and the targets', async () => {
    const choice = { all: false, listed: ['us-east-1', 'eu-west-1'] };
    assert.equal(lastLine(await written(choice, false)), '2 accounts × 2 regions (us-east-1, eu-west-1) = 4 targets, role Audit');
    const doc = JSON.parse(await written(choice, true));
    assert.deepEqual(doc, {
      role: 'Audit',
      regions: ['us-east-1', 'eu-west-1'],
      targets: 4,
      accounts: [
        { account: '111111111111', name: 'prod' },
        { account: '222222222222', name: null },
      ],
    });
  });

  it('all: no count it cannot know, each account is asked when the run starts', async () => {
    assert.equal(
      lastLine(await written({ all: true, listed: [] }, false)),
      "2 accounts × each account's enabled regions (asked when the run starts), role Audit",
    );
    assert.equal(
      lastLine(await written({ all: true, listed: ['me-south-1'] }, false)),
      "2 accounts × each account's enabled regions and me-south-1 (asked when the run starts), role Audit",
    );
    const doc = JSON.parse(await written({ all: true, listed: ['me-south-1'] }, true));
    assert.deepEqual([doc.regions, doc.allEnabledRegions, doc.targets], [['me-south-1'], true, null]);
  });
});
