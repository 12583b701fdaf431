import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildConfig } from '../../config/load-config.js';
import { parseIni } from '../../config/parse-ini.js';
import type { CliContext } from '../cli-context.js';
import clear from './clear.js';

const CONFIG = '[profile target]\nregion = us-east-1\n[profile "prod admin"]\nregion = us-east-1\n';

/** Just what `clear` reads of a CliContext: a broker that clears `cleared`, the config, the vault's index. */
function fakeCli(opts: { json?: boolean; cleared?: number; keys?: readonly string[]; config?: () => string }) {
  let out = '';
  let err = '';
  const asked: Array<string | undefined> = [];
  const cli = {
    json: !!opts.json,
    stdout: { write: (s: string) => ((out += s), true) },
    stderr: { write: (s: string) => ((err += s), true) },
    broker: async () => ({ clearSessions: async (p?: string) => (asked.push(p), opts.cleared ?? 0) }),
    config: () => buildConfig(parseIni((opts.config ?? (() => CONFIG))(), '/cfg'), '/cfg'),
    vault: async () => ({ list: () => (opts.keys ?? []).map((profile) => ({ profile })) }),
  } as unknown as CliContext;
  return { cli, out: () => out, err: () => err, asked };
}

describe('clear', () => {
  it('a name that is no profile and cleared nothing: exit 0, the usual line, then a hint with the close name', async () => {
    const f = fakeCli({});
    assert.equal(await clear(f.cli, ['targt'], {}), 0);
    assert.deepEqual(f.asked, ['targt'], 'cleared all the same');
    assert.equal(
      f.err(),
      'Cleared 0 cached sessions involving "targt".\n  hint: No profile "targt" in /cfg, and no key stored for it. Did you mean "target"? `rolehop list` shows all profiles.\n',
    );
    assert.equal(f.out(), '');
  });

  it('a name far from every profile: the hint says so and where to see them', async () => {
    const f = fakeCli({});
    await clear(f.cli, ['zzzzzzzz'], {});
    assert.match(f.err(), /\n {2}hint: No profile "zzzzzzzz" in \/cfg, and no key stored for it\. `rolehop list` shows all profiles\.\n$/);
  });

  it('no hint for a real profile, a stored key, clear without a name, or when something was cleared', async () => {
    const cases: Array<[string[], { keys?: string[]; cleared?: number }, { alreadyCleared?: number }]> = [
      [['target'], {}, {}],
      [['prod admin'], {}, {}],
      [['bob'], { keys: ['bob'] }, {}],
      [[], {}, {}],
      [['targt'], { cleared: 2 }, {}],
      [['targt'], {}, { alreadyCleared: 1 }],
    ];
    for (const [args, o, opts] of cases) {
      const f = fakeCli(o);
      assert.equal(await clear(f.cli, args, opts), 0);
      assert.doesNotMatch(f.err(), /hint/, args.join(' '));
      assert.match(f.err(), /^Cleared \d+ cached sessions?( involving "[^"]+")?\.\n$/);
    }
  });

  it('--json: one valid object, the hint as a field only when there is one', async () => {
    const typo = fakeCli({ json: true });
    await clear(typo.cli, ['targt'], {});
    assert.equal(typo.err(), '');
    const o = JSON.parse(typo.out()) as { profile: string; sessionsCleared: number; hint?: string };
    assert.deepEqual({ ...o, hint: undefined }, { profile: 'targt', sessionsCleared: 0, hint: undefined });
    assert.match(o.hint ?? '', /^No profile "targt" .*Did you mean "target"\?/);
    const real = fakeCli({ json: true });
    await clear(real.cli, ['target'], {});
    assert.deepEqual(JSON.parse(real.out()), { profile: 'target', sessionsCleared: 0 });
  });

  it('a config that cannot be read costs the hint, never the clear', async () => {
    const f = fakeCli({
      config: () => {
        throw new Error('unreadable');
      },
    });
    assert.equal(await clear(f.cli, ['targt'], {}), 0);
    assert.equal(f.err(), 'Cleared 0 cached sessions involving "targt".\n');
  });
});
