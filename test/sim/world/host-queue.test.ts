import { describe, expect, it } from 'vitest';
import { book } from '../../../src/sim/world/host-queue.ts';

describe('a server booking its own management work (host-queue.ts)', () => {
  it('a step on a free server ends its own time after it starts', () => {
    const bookedUs: number[] = [];
    expect(book(bookedUs, 0, 10, 5)).toBe(15);
    expect(bookedUs).toEqual([10, 15]);
  });

  it('a step on a busy server starts when the booking under way ends', () => {
    const bookedUs: number[] = [];
    book(bookedUs, 0, 0, 100);
    expect(book(bookedUs, 20, 20, 30)).toBe(130);
    expect(bookedUs).toEqual([0, 100, 100, 130]);
  });

  it('a later step fills a gap before a booking that lies in the future', () => {
    const bookedUs: number[] = [];
    book(bookedUs, 0, 500, 100);
    expect(book(bookedUs, 0, 100, 50)).toBe(150);
    expect(bookedUs).toEqual([100, 150, 500, 600]);
    // Too long for the gap before 500: it waits for the booking at 500 to end.
    expect(book(bookedUs, 0, 160, 400)).toBe(1000);
  });

  it('bookings that ended are dropped at the next booking', () => {
    const bookedUs: number[] = [];
    book(bookedUs, 0, 0, 10);
    book(bookedUs, 0, 10, 10);
    book(bookedUs, 15, 40, 10);
    expect(bookedUs).toEqual([10, 20, 40, 50]);
    book(bookedUs, 60, 60, 1);
    expect(bookedUs).toEqual([60, 61]);
  });

  it('a step after every booking ended takes its own time from when it was asked, whatever was booked before', () => {
    const bookedUs: number[] = [];
    book(bookedUs, 0, 0, 10);
    book(bookedUs, 0, 10, 10);
    expect(book(bookedUs, 30, 35, 5)).toBe(40);
    expect(bookedUs).toEqual([35, 40]);
    expect(book(bookedUs, 50, 50, 2)).toBe(52);
    expect(bookedUs).toEqual([50, 52]);
  });
});
