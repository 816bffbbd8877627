import { ContractError, defineContract } from '@xinlian/contracts/api';

// The benchmark's contract: record does what a native evidence deposit does (refuse a repeat,
// write one key, emit one event), so that the two rates compare the execution paths.
export default defineContract({
  record(api, args: { id: string; title: string }, ctx) {
    const key = `doc/${args.id}`;
    if (api.get(key) !== undefined) throw new ContractError('DUPLICATE', `${args.id} is recorded`);
    api.put(key, { title: args.title, org: ctx.caller.org, height: ctx.height });
    api.emit('recorded', { id: args.id });
    return { id: args.id };
  },
});
