export { seededRandom } from '@xinlian/protocol';

/** XINLIAN_SEED=n replays a run; otherwise a fresh seed, printed so a failure can be replayed. */
export function testSeed(name: string): number {
  const fromEnv = process.env.XINLIAN_SEED;
  const seed = fromEnv === undefined ? Math.floor(Math.random() * 0xffffffff) : Number(fromEnv);
  process.stdout.write(`# ${name}: seed ${seed} (replay with XINLIAN_SEED=${seed})\n`);
  return seed;
}
