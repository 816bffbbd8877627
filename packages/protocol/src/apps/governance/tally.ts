import type { Policy } from './govKind.js';

export type TallyOutcome = 'passed' | 'rejected' | 'open';

/** Yes votes a policy needs among n member organisations (never fewer than one). */
export function votesRequired(policy: Policy, n: number): number {
  const required = policy === 'majority' ? Math.floor(n / 2) + 1 : policy === 'twoThirds' ? Math.ceil((2 * n) / 3) : n;
  return Math.max(1, required);
}

/**
 * Counts a proposal's votes under `policy` among the organisations that are members now: a removed
 * organisation's vote no longer counts, and each organisation counts once (its first vote).
 * majority: yes > n/2; twoThirds: yes ≥ ⌈2n/3⌉; all: yes = n. Rejected as soon as the policy could
 * not be met even if every member that has not voted said yes.
 */
export function tally(policy: Policy, memberOrgs: readonly string[], votes: ReadonlyArray<{ org: string; approve: boolean }>): TallyOutcome {
  const members = new Set(memberOrgs);
  const counted = new Set<string>();
  let yes = 0;
  let no = 0;
  for (const vote of votes) {
    if (!members.has(vote.org) || counted.has(vote.org)) continue;
    counted.add(vote.org);
    if (vote.approve) yes++;
    else no++;
  }
  const required = votesRequired(policy, members.size);
  if (yes >= required) return 'passed';
  if (members.size - no < required) return 'rejected';
  return 'open';
}
