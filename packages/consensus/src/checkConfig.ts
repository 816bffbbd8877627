import { XinlianError } from '@xinlian/protocol';
import type { ConsensusConfig } from './types.js';

/** Rejects a configuration the machine could not run with, before it starts. */
export function checkConfig(config: ConsensusConfig): void {
  for (const [name, value] of Object.entries(config.timeouts)) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new XinlianError('BAD_REQUEST', `timeout ${name} must be a non-negative integer, got ${value}`);
    }
  }
  if (!Number.isSafeInteger(config.roundsAheadMax) || config.roundsAheadMax < 1) {
    throw new XinlianError('BAD_REQUEST', `roundsAheadMax must be a positive integer, got ${config.roundsAheadMax}`);
  }
  if (!Number.isSafeInteger(config.valueBytesMax) || config.valueBytesMax < 1) {
    throw new XinlianError('BAD_REQUEST', `valueBytesMax must be a positive integer, got ${config.valueBytesMax}`);
  }
}
