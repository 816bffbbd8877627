// The module grid of a QR symbol (ISO/IEC 18004 §6.3, §7.7–7.10): function patterns (finders
// with their separators, timing, alignment, the dark module, format and version areas), then the
// codewords in the standard's two-column zigzag, then a mask over the data modules only.
// Coordinates are (x, y) = (column, row); grids are row-major, dark[y][x].
import { formatBits, versionBits } from './qrFormatInfo.js';
import { QR_MASKS } from './qrMasks.js';
import type { QrVersion } from './qrVersions.js';

export interface QrGrid {
  size: number;
  dark: boolean[][];
  /** Function modules: never data, never masked. */
  reserved: boolean[][];
}

function blank(size: number): boolean[][] {
  return Array.from({ length: size }, () => new Array<boolean>(size).fill(false));
}

function set(grid: QrGrid, x: number, y: number, dark: boolean): void {
  grid.dark[y]![x] = dark;
  grid.reserved[y]![x] = true;
}

/** The 7×7 finder centred at (cx, cy) with its light separator ring, clipped to the symbol. */
function drawFinder(grid: QrGrid, cx: number, cy: number): void {
  for (let dy = -4; dy <= 4; dy++) {
    for (let dx = -4; dx <= 4; dx++) {
      const x = cx + dx;
      const y = cy + dy;
      if (x < 0 || y < 0 || x >= grid.size || y >= grid.size) continue;
      const ring = Math.max(Math.abs(dx), Math.abs(dy));
      set(grid, x, y, ring !== 2 && ring !== 4);
    }
  }
}

/** The 5×5 alignment pattern centred at (cx, cy). */
function drawAlignment(grid: QrGrid, cx: number, cy: number): void {
  for (let dy = -2; dy <= 2; dy++) {
    for (let dx = -2; dx <= 2; dx++) set(grid, cx + dx, cy + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1);
  }
}

/** Where each of the 15 format bits goes, bit 0 first: the copy by the top-left finder, then the split copy. */
export function formatPositions(size: number): { first: Array<[number, number]>; second: Array<[number, number]> } {
  const first: Array<[number, number]> = [];
  const second: Array<[number, number]> = [];
  for (let i = 0; i < 15; i++) {
    first.push(i < 6 ? [8, i] : i === 6 ? [8, 7] : i === 7 ? [8, 8] : i === 8 ? [7, 8] : [14 - i, 8]);
    second.push(i < 8 ? [size - 1 - i, 8] : [8, size - 15 + i]);
  }
  return { first, second };
}

/** Where each of the 18 version bits goes, bit 0 first: the block above the bottom-left finder, then its mirror. */
export function versionPositions(size: number): { bottomLeft: Array<[number, number]>; topRight: Array<[number, number]> } {
  const bottomLeft: Array<[number, number]> = [];
  const topRight: Array<[number, number]> = [];
  for (let i = 0; i < 18; i++) {
    const across = size - 11 + (i % 3);
    const along = Math.floor(i / 3);
    bottomLeft.push([along, across]);
    topRight.push([across, along]);
  }
  return { bottomLeft, topRight };
}

/** A grid with every function pattern drawn and the format areas reserved (filled once the mask is known). */
export function functionPatterns(version: QrVersion): QrGrid {
  const size = version.size;
  const grid: QrGrid = { size, dark: blank(size), reserved: blank(size) };
  for (let i = 0; i < size; i++) {
    set(grid, 6, i, i % 2 === 0);
    set(grid, i, 6, i % 2 === 0);
  }
  drawFinder(grid, 3, 3);
  drawFinder(grid, size - 4, 3);
  drawFinder(grid, 3, size - 4);
  const centres = version.alignment;
  const last = centres.length - 1;
  for (let a = 0; a < centres.length; a++) {
    for (let b = 0; b < centres.length; b++) {
      // The three corners taken by finders get none.
      if ((a === 0 && b === 0) || (a === 0 && b === last) || (a === last && b === 0)) continue;
      drawAlignment(grid, centres[a]!, centres[b]!);
    }
  }
  const { first, second } = formatPositions(size);
  for (const [x, y] of [...first, ...second]) set(grid, x, y, false);
  set(grid, 8, size - 8, true);
  if (version.version >= 7) {
    const bits = versionBits(version.version);
    const { bottomLeft, topRight } = versionPositions(size);
    for (let i = 0; i < 18; i++) {
      const dark = ((bits >>> i) & 1) === 1;
      set(grid, bottomLeft[i]![0], bottomLeft[i]![1], dark);
      set(grid, topRight[i]![0], topRight[i]![1], dark);
    }
  }
  return grid;
}

/**
 * The data modules in placement order (§7.7.3): two-module-wide columns from the right edge
 * leftwards, alternately upwards and downwards, right module before left, skipping function
 * modules and the vertical timing column.
 */
export function dataModuleOrder(grid: QrGrid): Array<[number, number]> {
  const order: Array<[number, number]> = [];
  const { size } = grid;
  let upwards = true;
  for (let right = size - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5;
    for (let step = 0; step < size; step++) {
      const y = upwards ? size - 1 - step : step;
      for (const x of [right, right - 1]) if (!grid.reserved[y]![x]) order.push([x, y]);
    }
    upwards = !upwards;
  }
  return order;
}

/** Places the codewords, most significant bit first; modules left over (remainder bits) stay light. */
export function placeCodewords(grid: QrGrid, codewords: Uint8Array): void {
  const order = dataModuleOrder(grid);
  if (order.length < codewords.length * 8) throw new RangeError('more codewords than data modules');
  for (let i = 0; i < codewords.length * 8; i++) {
    const [x, y] = order[i]!;
    grid.dark[y]![x] = ((codewords[i >>> 3]! >>> (7 - (i & 7))) & 1) === 1;
  }
}

/** The symbol with `mask` applied to the data modules and its format information written. */
export function maskedSymbol(grid: QrGrid, mask: number): boolean[][] {
  const condition = QR_MASKS[mask]!;
  const dark = grid.dark.map((row, y) => row.map((module, x) => (grid.reserved[y]![x] ? module : module !== condition(y, x))));
  const bits = formatBits(mask);
  const { first, second } = formatPositions(grid.size);
  for (let i = 0; i < 15; i++) {
    const bit = ((bits >>> i) & 1) === 1;
    dark[first[i]![1]]![first[i]![0]] = bit;
    dark[second[i]![1]]![second[i]![0]] = bit;
  }
  return dark;
}
