/** mulberry32: a small seeded PRNG so that fault timings replay from a printed seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** XINLIAN_SEED=n replays a run; otherwise a fresh seed, printed so a failure can be replayed. */
export function testSeed(name: string): number {
  const fromEnv = process.env.XINLIAN_SEED;
  const seed = fromEnv === undefined ? Math.floor(Math.random() * 0xffffffff) : Number(fromEnv);
  process.stdout.write(`# ${name}: seed ${seed} (replay with XINLIAN_SEED=${seed})\n`);
  return seed;
}
