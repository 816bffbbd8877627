// The penalty score by which the encoder picks a mask (ISO/IEC 18004 §7.8.3, Table 11): the mask
// with the lowest score gives the symbol that readers find easiest. `dark` is row-major.

const N1 = 3;
const N2 = 3;
const N3 = 40;
const N4 = 10;
/** 1:1:3:1:1 dark-light-dark-light-dark with four light modules on one side: a false finder. */
const FINDER_LIKE = [[1, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0], [0, 0, 0, 0, 1, 0, 1, 1, 1, 0, 1]];

/** Rules 1 and 3 along one line of modules. */
function lineScore(line: readonly boolean[]): number {
  let score = 0;
  let run = 1;
  for (let k = 1; k <= line.length; k++) {
    if (k < line.length && line[k] === line[k - 1]) {
      run++;
      continue;
    }
    if (run >= 5) score += N1 + (run - 5);
    run = 1;
  }
  for (let k = 0; k + 11 <= line.length; k++) {
    for (const pattern of FINDER_LIKE) if (pattern.every((bit, p) => line[k + p] === (bit === 1))) score += N3;
  }
  return score;
}

/** The total penalty of a symbol. */
export function qrPenalty(dark: readonly (readonly boolean[])[]): number {
  const size = dark.length;
  let score = 0;
  for (let y = 0; y < size; y++) score += lineScore(dark[y]!);
  for (let x = 0; x < size; x++) score += lineScore(dark.map((row) => row[x]!));
  // Rule 2: every 2×2 block of one colour, overlapping blocks counted each.
  for (let y = 0; y + 1 < size; y++) {
    for (let x = 0; x + 1 < size; x++) {
      const c = dark[y]![x];
      if (dark[y]![x + 1] === c && dark[y + 1]![x] === c && dark[y + 1]![x + 1] === c) score += N2;
    }
  }
  // Rule 4: N4 for every full 5 % the dark share is away from 50 %.
  const darkCount = dark.reduce((sum, row) => sum + row.filter(Boolean).length, 0);
  score += N4 * Math.floor(Math.abs((darkCount * 100) / (size * size) - 50) / 5);
  return score;
}
