import { describe, expect, it } from 'vitest';
import { fields, shortTime, table } from '../src/table.ts';

interface Key {
  name: string;
  requests: number | null;
  lastUsedAt: string | null;
}

const columns = [
  { header: 'NAME', value: (k: Key) => k.name },
  { header: 'REQUESTS', value: (k: Key) => k.requests },
  { header: 'LAST USED', value: (k: Key) => shortTime(k.lastUsedAt) },
];

describe('table', () => {
  it('aligns columns two spaces apart, numbers to the right, null as -', () => {
    const rows: Key[] = [
      { name: 'billing-service', requests: 1250, lastUsedAt: '2026-11-29T15:42:10.118Z' },
      { name: 'ci', requests: 7, lastUsedAt: null },
      { name: 'new', requests: null, lastUsedAt: null },
    ];
    expect(table(columns, rows)).toBe(
      [
        'NAME             REQUESTS  LAST USED',
        'billing-service      1250  2026-11-29 15:42',
        'ci                      7  -',
        'new                     -  -',
      ].join('\n'),
    );
  });

  it('prints the header alone when there are no rows', () => {
    expect(table(columns, [])).toBe('NAME  REQUESTS  LAST USED');
  });

  it('aligns a column right when asked, and shows an empty string as -', () => {
    const rate = [
      { header: 'KEY', value: (r: { key: string; rate: string }) => r.key },
      { header: 'RATE', value: (r: { key: string; rate: string }) => r.rate, align: 'right' as const },
    ];
    expect(
      table(rate, [
        { key: '', rate: '4.0%' },
        { key: 'b', rate: '100.0%' },
      ]),
    ).toBe(['KEY    RATE', '-      4.0%', 'b    100.0%'].join('\n'));
  });

  it('shows control characters instead of obeying them', () => {
    const rows = [{ name: 'evil\n\u001b[31mred', requests: 1, lastUsedAt: null }];
    expect(table(columns, rows)).toBe(
      ['NAME                     REQUESTS  LAST USED', 'evil\\u000a\\u001b[31mred         1  -'].join('\n'),
    );
  });
});

describe('fields', () => {
  it('one aligned label: value line per field', () => {
    expect(
      fields([
        ['id', '7f9c2e1a'],
        ['rotated from', null],
        ['requests', 0],
      ]),
    ).toBe(['id:            7f9c2e1a', 'rotated from:  -', 'requests:      0'].join('\n'));
  });
});

describe('shortTime', () => {
  it.each([
    ['2026-11-29T15:42:10.118Z', '2026-11-29 15:42'],
    ['2026-11-29T15:42:00Z', '2026-11-29 15:42'],
    ['2026-11-29T15:42Z', '2026-11-29 15:42'],
    ['not a time', 'not a time'],
    [null, null],
  ])('%s → %s', (iso, short) => {
    expect(shortTime(iso)).toBe(short);
  });
});
