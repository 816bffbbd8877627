import type { ConsensusStep, ConsensusTimeouts } from './types.js';

/** timeoutX(r) = base + r·delta: after GST, some round's timeouts exceed the real message delay. */
export function timeoutMs(timeouts: ConsensusTimeouts, step: ConsensusStep, round: number): number {
  if (step === 'propose') return timeouts.proposeMs + round * timeouts.proposeDeltaMs;
  if (step === 'prevote') return timeouts.prevoteMs + round * timeouts.prevoteDeltaMs;
  return timeouts.precommitMs + round * timeouts.precommitDeltaMs;
}
