import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Table from 'cli-table3';
import { asciiBorderedTable } from './ascii-table.js';

const NO_ROW_RULES = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

/** What row-table.ts has cli-table3 draw. */
function cliTable3(head: string[], rows: string[][]): string {
  const t = new Table({ head, style: { head: [], border: [] }, chars: NO_ROW_RULES });
  t.push(...rows);
  return t.toString();
}

/** A pseudo-random generator with a fixed seed: the same cases every run. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

describe('asciiBorderedTable', () => {
  it('draws what cli-table3 draws, character for character, for printable ASCII', () => {
    const rand = lcg(16);
    const cell = () => Array.from({ length: Math.floor(rand() * 12) }, () => String.fromCharCode(0x20 + Math.floor(rand() * 95))).join('');
    for (let n = 0; n < 400; n++) {
      const cols = 1 + Math.floor(rand() * 6);
      const head = Array.from({ length: cols }, cell);
      const rows = Array.from({ length: Math.floor(rand() * 5) }, () => Array.from({ length: cols }, cell));
      assert.equal(asciiBorderedTable(head, rows), cliTable3(head, rows), JSON.stringify({ head, rows }));
    }
    const listLike = [
      ['profile', 'kind', 'account / role'],
      [
        ['dev', 'role', '123456789012 Admin'],
        ['', '-', '-'],
      ],
    ] as const;
    assert.equal(
      asciiBorderedTable(listLike[0], listLike[1]),
      cliTable3(
        [...listLike[0]],
        listLike[1].map((r) => [...r]),
      ),
    );
  });

  it('leaves anything else to cli-table3: wide or combining characters, escapes, line breaks, ragged rows', () => {
    for (const odd of ['日本', 'é', 'e\u0301', '\x1b[31mred\x1b[0m', 'two\nlines', 'tab\there', '🙂'])
      assert.equal(asciiBorderedTable(['a', 'b'], [['x', odd]]), undefined, JSON.stringify(odd));
    assert.equal(asciiBorderedTable(['ä'], []), undefined);
    assert.equal(asciiBorderedTable(['a', 'b'], [['x']]), undefined);
  });
});
