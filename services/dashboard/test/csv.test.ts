import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../src/data/csv.ts';

describe('CSV cells (RFC 4180)', () => {
  it('leaves plain text as it is', () => {
    expect(csvCell('billing-service')).toBe('billing-service');
    expect(csvCell('')).toBe('');
  });

  it('quotes fields with commas, quotes or line breaks, doubling quotes', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line1\nline2')).toBe('"line1\nline2"');
    expect(csvCell('cr\rhere')).toBe('"cr\rhere"');
  });

  it('writes numbers, booleans and nothing', () => {
    expect(csvCell(42)).toBe('42');
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(0.25)).toBe('0.25');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(true)).toBe('true');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });
});

describe('formula injection', () => {
  it('prefixes text starting with = + - @ tab or CR with a quote', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('\rx')).toBe(`"'\rx"`);
  });

  it('quotes as well when needed after prefixing', () => {
    expect(csvCell('=cmd|"/c calc"!A1,x')).toBe(`"'=cmd|""/c calc""!A1,x"`);
  });

  it('leaves such characters alone when not first', () => {
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell('user@example.com')).toBe('user@example.com');
  });
});

describe('CSV documents', () => {
  it('joins cells with commas and lines with CRLF, ending with CRLF', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['x', 1],
          ['y,z', null],
        ],
      ),
    ).toBe('a,b\r\nx,1\r\n"y,z",\r\n');
  });
});
