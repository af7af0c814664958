import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { isBlank, lines, openInput } from '../src/lines.ts';
import { UsageError } from '../src/usage.ts';

async function collect(chunks: AsyncIterable<Buffer>): Promise<string[]> {
  const found: string[] = [];
  for await (const line of lines(chunks)) found.push(line.toString());
  return found;
}

async function* chunksOf(...texts: string[]): AsyncGenerator<Buffer> {
  for (const text of texts) yield Buffer.from(text);
}

describe('lines', () => {
  it('splits on newlines, joining a line cut across chunks', async () => {
    expect(await collect(chunksOf('{"a":1}\n{"b"', ':2}\n{"c":3}\n'))).toEqual([
      '{"a":1}',
      '{"b":2}',
      '{"c":3}',
    ]);
  });

  it('keeps empty lines (so line numbers count them) and a last line without a newline', async () => {
    expect(await collect(chunksOf('a\n\n', 'b', 'c'))).toEqual(['a', '', 'bc']);
  });

  it('leaves a CR before the newline to the JSON parser, and blanks are told apart', async () => {
    const found = await collect(chunksOf('a\r\n\r\n \t\n'));
    expect(found).toEqual(['a\r', '\r', ' \t']);
    expect(found.map((line) => isBlank(Buffer.from(line)))).toEqual([false, true, true]);
  });

  it('yields nothing for no bytes', async () => {
    expect(await collect(chunksOf())).toEqual([]);
  });
});

describe('openInput', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keywatch-lines-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const text = '{"a":1}\n{"b":2}\n';

  it('reads a file as it is', async () => {
    const path = join(dir, 'plain.jsonl');
    writeFileSync(path, text);
    expect(await collect(await openInput('events', path))).toEqual(['{"a":1}', '{"b":2}']);
  });

  it('gunzips gzip, told by its magic bytes', async () => {
    const path = join(dir, 'events.jsonl.gz');
    writeFileSync(path, gzipSync(text));
    expect(await collect(await openInput('events', path))).toEqual(['{"a":1}', '{"b":2}']);
  });

  it('fails as a usage error naming the flag and the file when it does not exist', async () => {
    const missing = join(dir, 'missing.jsonl');
    const opening = openInput('events', missing);
    await expect(opening).rejects.toBeInstanceOf(UsageError);
    await expect(opening).rejects.toThrow(`--events: cannot read ${missing}: ENOENT`);
  });

  it('fails as a usage error when it opens but cannot be read (a directory)', async () => {
    await expect(collect(await openInput('events', dir))).rejects.toThrow(
      new UsageError(`--events: cannot read ${dir}: EISDIR: illegal operation on a directory, read`),
    );
  });

  it('fails as a usage error when the gzip is cut short, as its lines are read', async () => {
    const path = join(dir, 'truncated.jsonl.gz');
    const gzip = gzipSync(text.repeat(100));
    writeFileSync(path, gzip.subarray(0, gzip.length - 10));
    await expect(collect(await openInput('events', path))).rejects.toThrow(
      new UsageError(`--events: cannot read ${path}: unexpected end of file`),
    );
  });
});
