export async function main(argv: string[]): Promise<number> {
  console.error(`xinlian: not yet implemented (${argv.join(' ')})`);
  return 2;
}
