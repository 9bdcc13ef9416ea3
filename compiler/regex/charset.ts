// Sets of characters (Unicode code points) as sorted, merged inclusive ranges: what one bracket
// expression, `.` or a literal matches. The named classes are those of the POSIX locale (ASCII).

/** Sorted, non-overlapping, non-adjacent [from, to] pairs, flattened: [from0, to0, from1, to1, …]. */
export type CharSet = readonly number[];

export const MAX_CODE_POINT = 0x10ffff;

/** The POSIX locale's character classes, as ranges. */
export const CLASSES: Readonly<Record<string, CharSet>> = {
  alpha: [0x41, 0x5a, 0x61, 0x7a],
  digit: [0x30, 0x39],
  alnum: [0x30, 0x39, 0x41, 0x5a, 0x61, 0x7a],
  upper: [0x41, 0x5a],
  lower: [0x61, 0x7a],
  space: [0x09, 0x0d, 0x20, 0x20],
  blank: [0x09, 0x09, 0x20, 0x20],
  punct: [0x21, 0x2f, 0x3a, 0x40, 0x5b, 0x60, 0x7b, 0x7e],
  xdigit: [0x30, 0x39, 0x41, 0x46, 0x61, 0x66],
  cntrl: [0x00, 0x1f, 0x7f, 0x7f],
  print: [0x20, 0x7e],
  graph: [0x21, 0x7e],
};

/** Normalises a list of [from, to] pairs (any order, overlapping) into a CharSet. */
export function charSet(pairs: number[]): CharSet {
  const ranges: [number, number][] = [];
  for (let i = 0; i + 1 < pairs.length; i += 2) ranges.push([pairs[i]!, pairs[i + 1]!]);
  ranges.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [from, to] of ranges) {
    const last = out.length - 1;
    if (last > 0 && from <= out[last]! + 1) out[last] = Math.max(out[last]!, to);
    else out.push(from, to);
  }
  return out;
}

/** Every character not in the set. */
export function complement(set: CharSet): CharSet {
  const out: number[] = [];
  let next = 0;
  for (let i = 0; i < set.length; i += 2) {
    if (set[i]! > next) out.push(next, set[i]! - 1);
    next = set[i + 1]! + 1;
  }
  if (next <= MAX_CODE_POINT) out.push(next, MAX_CODE_POINT);
  return out;
}

export const ANY: CharSet = [0, MAX_CODE_POINT];

export function contains(set: CharSet, c: number): boolean {
  // Most sets are a few ranges (a digit, a class): a scan beats a search.
  if (set.length <= 16) {
    for (let i = 0; i < set.length; i += 2) {
      if (c < set[i]!) return false;
      if (c <= set[i + 1]!) return true;
    }
    return false;
  }
  let lo = 0;
  let hi = set.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (c < set[2 * mid]!) hi = mid - 1;
    else if (c > set[2 * mid + 1]!) lo = mid + 1;
    else return true;
  }
  return false;
}
