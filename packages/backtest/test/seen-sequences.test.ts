import type { AuthEvent } from '@keywatch/events';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeenSequences } from '../src/seen-sequences.ts';

const sent = (producerId: string, seq: number) => ({ producerId, seq }) as AuthEvent;

describe('SeenSequences', () => {
  it('knows each number again, in any order, per producer', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('a', 'b'), fc.nat({ max: 5_000 })), { maxLength: 300 }),
        (events) => {
          const seen = new SeenSequences();
          const repeated = events.map(([producer, seq]) => seen.repeated(sent(producer, seq)));
          const firsts = new Set<string>();
          const expected = events.map(([producer, seq]) => {
            const id = `${producer}|${seq}`;
            const again = firsts.has(id);
            firsts.add(id);
            return again;
          });
          expect(repeated).toEqual(expected);
        },
      ),
    );
  });

  it('takes a number far below the window as new (a spool’s replay of events that never arrived)', () => {
    const seen = new SeenSequences();
    expect(seen.repeated(sent('a', 5))).toBe(false);
    expect(seen.repeated(sent('a', 5 + 3 * 2 ** 21))).toBe(false);
    expect(seen.repeated(sent('a', 5))).toBe(false);
    expect(seen.repeated(sent('a', 5 + 3 * 2 ** 21))).toBe(true);
  });

  it('never takes an event without a producer number for a repeat', () => {
    const seen = new SeenSequences();
    expect(seen.repeated({} as AuthEvent)).toBe(false);
    expect(seen.repeated({} as AuthEvent)).toBe(false);
  });
});
