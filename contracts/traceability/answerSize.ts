// Answers cross the sandbox as JSON of at most 65,536 characters. A walk that would not fit is
// refused with a typed code and a hint, instead of failing in the host after all the work.
import { ContractError } from '@xinlian/contracts/api';

/** Below the sandbox's 65,536, for the envelope the sandbox wraps around a result. */
export const ANSWER_CHARS_MAX = 60_000;

export function fits(answer: unknown): boolean {
  return JSON.stringify(answer).length <= ANSWER_CHARS_MAX;
}

export function checkedAnswer<T>(answer: T, hint: string): T {
  const chars = JSON.stringify(answer).length;
  if (chars > ANSWER_CHARS_MAX) throw new ContractError('PROVENANCE_TOO_LARGE', `the answer has ${chars} characters, more than ${ANSWER_CHARS_MAX}: ${hint}`);
  return answer;
}
