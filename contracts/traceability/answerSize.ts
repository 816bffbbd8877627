// How big an answer may be. An evaluated call (a query) answers with up to the sandbox's 65,536
// characters; a submitted call's result goes into the tx result, which holds at most 1,024 bytes
// of JSON (the node's LIMITS.eventStringBytesMax, which also bounds event attributes). An answer
// over either bound would fail the whole call in the host: these checks let the contract choose.
import { ContractError } from '@xinlian/contracts/api';

/** Below the sandbox's 65,536, for the envelope the sandbox wraps around a result. */
export const ANSWER_CHARS_MAX = 60_000;
/** The node's bound on a tx result's JSON and on each event string (LIMITS.eventStringBytesMax). */
export const TX_STRING_BYTES_MAX = 1024;

/** Bytes of the UTF-8 form of `text`. */
export function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdfff) bytes += 2; // each half of a surrogate pair: 4 bytes for the pair
    else bytes += 3;
  }
  return bytes;
}

export function fits(answer: unknown): boolean {
  return JSON.stringify(answer).length <= ANSWER_CHARS_MAX;
}

/** Whether `answer` fits in a tx result (always true for an evaluated call, which has no tx). */
export function fitsTxResult(answer: unknown, submitted: boolean): boolean {
  return !submitted || utf8Bytes(JSON.stringify(answer)) <= TX_STRING_BYTES_MAX;
}

export function checkedAnswer<T>(answer: T, hint: string): T {
  const chars = JSON.stringify(answer).length;
  if (chars > ANSWER_CHARS_MAX) throw new ContractError('PROVENANCE_TOO_LARGE', `the answer has ${chars} characters, more than ${ANSWER_CHARS_MAX}: ${hint}`);
  return answer;
}
