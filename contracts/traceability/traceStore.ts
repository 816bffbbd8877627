// The provenance walk's view of the ledger: index entries read by range scans (paged, since one
// scan returns at most 1,000), events read once per call and their links derived once.
import { ContractError, type ContractApi } from '@xinlian/contracts/api';
import { eventLinks, type EventLinks } from './epcisEvent.js';
import type { TraceStore } from './walkGraph.js';
import { eventKey, indexPrefix, stored, storedRange, type EventRecord, type IndexEntry } from './stateKeys.js';

const PAGE_ENTRIES = 1000;

export interface LedgerTraceStore extends TraceStore {
  record(hash: string): EventRecord;
}

/** `entriesMax` bounds the index entries one call may scan, over all identifiers. */
export function ledgerTraceStore(api: ContractApi, entriesMax: number): LedgerTraceStore {
  const records = new Map<string, EventRecord>();
  const links = new Map<string, EventLinks>();
  // The start of a query is read up to three times (its kind, then each direction): scanned once.
  const touches = new Map<string, Array<{ event: string; roles: IndexEntry['r'] }>>();
  let scanned = 0;
  const record = (hash: string): EventRecord => {
    let found = records.get(hash);
    if (found === undefined) {
      found = stored<EventRecord>(api, eventKey(hash));
      if (found === undefined) throw new ContractError('EVENT_NOT_FOUND', `no event ${hash}`);
      records.set(hash, found);
    }
    return found;
  };
  return {
    record,
    touches(id) {
      const known = touches.get(id);
      if (known !== undefined) return known;
      const out: Array<{ event: string; roles: IndexEntry['r'] }> = [];
      touches.set(id, out);
      let start: string | undefined;
      for (;;) {
        const page = storedRange<IndexEntry>(api, indexPrefix(id), PAGE_ENTRIES, start);
        scanned += page.length;
        if (scanned > entriesMax) throw new ContractError('PROVENANCE_TOO_LARGE', `more than ${entriesMax} index entries to read: narrow the query with depthMax`);
        // `start` is inclusive: the first entry of a later page is the last one of the page before.
        for (const entry of page) if (entry.key !== start) out.push({ event: entry.value.e, roles: entry.value.r });
        if (page.length < PAGE_ENTRIES) return out;
        start = page[page.length - 1]!.key;
      }
    },
    links(hash) {
      let found = links.get(hash);
      if (found === undefined) links.set(hash, (found = eventLinks(record(hash).event)));
      return found;
    },
  };
}
