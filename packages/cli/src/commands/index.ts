import type { Command } from './command.js';
import { hash, keygen, sign, verify } from './keyCommands.js';
import { init, start } from './nodeCommands.js';
import { evidence } from './evidenceCommands.js';
import { proof } from './proofCommands.js';
import { demo } from './demo.js';
import { net } from './netCommands.js';
import { gov, members } from './govCommands.js';
import { org } from './orgCommands.js';
import { contract } from './contractCommands.js';

export const COMMANDS: Record<string, Command> = {
  init,
  org,
  start,
  net,
  evidence,
  proof,
  gov,
  members,
  contract,
  keygen,
  hash,
  sign,
  verify,
  demo,
};

export function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `xinlian: a tokenless consortium blockchain (信链)\n\nusage: xinlian <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nRun "xinlian <command> --help" for a command's options.\n`;
}
