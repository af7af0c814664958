import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Spool, SpoolFullError } from '../../src/spool.ts';

const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'spool-test-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const msg = (n: number) => ({ key: `k${n % 3}`, value: JSON.stringify({ n }) });
const ns = (messages: { value: string }[]) => messages.map((m) => JSON.parse(m.value).n);

function drain(spool: Spool): number[] {
  const out: number[] = [];
  for (let taken = spool.takeOldest(); taken; taken = spool.takeOldest()) {
    out.push(...ns(taken.messages));
    spool.release(taken.segment);
  }
  return out;
}

describe('Spool', () => {
  it('gives messages back in the order written, across segments', () => {
    const spool = new Spool(freshDir());
    for (let i = 0; i < 45_000; i++) spool.append(msg(i)); // more than two segments of 20,000
    expect(spool.onDisk).toBe(45_000);
    const out = drain(spool);
    expect(out).toHaveLength(45_000);
    expect(out.every((n, i) => n === i)).toBe(true);
    expect(spool.hasBacklog).toBe(false);
    expect(spool.onDisk).toBe(0);
  });

  it('keeps a backlog while a taken segment is not released', () => {
    const spool = new Spool(freshDir());
    spool.append(msg(1));
    const taken = spool.takeOldest()!;
    expect(spool.hasBacklog).toBe(true);
    spool.release(taken.segment);
    expect(spool.hasBacklog).toBe(false);
  });

  it('puts prepended messages before everything, taken segments included', () => {
    const dir = freshDir();
    const spool = new Spool(dir);
    for (let i = 10; i < 13; i++) spool.append(msg(i));
    spool.takeOldest(); // taken, not released: still on disk
    for (let i = 20; i < 22; i++) spool.append(msg(i));
    spool.prepend([msg(1), msg(2)]);
    spool.close();
    // A new process finds all of it, in order: prepended, the taken segment, the rest.
    expect(drain(new Spool(dir))).toEqual([1, 2, 10, 11, 12, 20, 21]);
  });

  it('refuses what would pass its byte bound, and takes again once a segment is released', () => {
    const dir = freshDir();
    const line = Buffer.byteLength(`${msg(0).key}\t${msg(0).value}\n`); // every msg(0..9) is as long
    const spool = new Spool(dir, 3 * line);
    for (let i = 0; i < 3; i++) spool.append(msg(i));
    expect(spool.bytes).toBe(3 * line);
    expect(() => spool.append(msg(3))).toThrow(SpoolFullError);
    expect(spool.onDisk).toBe(3);
    spool.close();
    // A restart counts the bytes already on disk against the bound.
    const again = new Spool(dir, 3 * line);
    expect(again.bytes).toBe(3 * line);
    expect(() => again.append(msg(3))).toThrow(SpoolFullError);
    const taken = again.takeOldest()!;
    expect(() => again.append(msg(3))).toThrow(SpoolFullError); // taken, still on disk
    again.release(taken.segment);
    expect(again.bytes).toBe(0);
    again.append(msg(4));
    expect(drain(again)).toEqual([4]);
  });

  it('seals a segment past 8 MiB, so that one read back stays small', () => {
    const spool = new Spool(freshDir());
    const big = (n: number) => ({ key: 'k', value: JSON.stringify({ n, pad: 'x'.repeat(100_000) }) });
    for (let i = 0; i < 100; i++) spool.append(big(i));
    const first = spool.takeOldest()!;
    expect(first.messages.length).toBeGreaterThan(70);
    expect(first.messages.length).toBeLessThan(100);
    spool.release(first.segment);
    expect(drain(spool)).toHaveLength(100 - first.messages.length);
  });

  it('survives a restart with what was written, and skips a torn last line', () => {
    const dir = freshDir();
    const first = new Spool(dir);
    for (let i = 0; i < 5; i++) first.append(msg(i));
    first.close();
    const [file] = readdirSync(dir);
    appendFileSync(join(dir, file!), 'k1\t{"n":'); // a crash mid-write
    const second = new Spool(dir);
    expect(second.onDisk).toBe(5);
    expect(drain(second)).toEqual([0, 1, 2, 3, 4]);
    expect(readdirSync(dir)).toEqual([]);
  });
});
