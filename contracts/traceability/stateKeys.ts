// The contract's state keys and what is stored under them (README.md, "State"). In index keys an
// identifier ends with "|", which no URI contains (the schema checks every identifier as a URI),
// so that the prefix scan of one identifier never matches another that merely starts with it.
import type { ContractApi, Json } from '@xinlian/contracts/api';
import type { EpcisEvent, Role } from './epcisEvent.js';

/** `e/<hash>`: a recorded event; hash = the chain suite's hash of the event's RFC 8785 JSON. */
export interface EventRecord {
  event: EpcisEvent;
  /** The enclosing document's @context, when the event came in a document without its own. */
  context?: Json;
  org: string;
  height: number;
  timeMs: number;
  txId: string;
}

/** `i/<id>|<height>/<hash>`: event `e` touches the identifier in roles `r`; recorded by org `o`. */
export interface IndexEntry {
  e: string;
  r: Role[];
  o: string;
}

/** `r/<id>`: the identifier (a lot or an EPC) is recalled. */
export interface RecallRecord {
  id: string;
  reason: string;
  org: string;
  height: number;
  timeMs: number;
  txId: string;
  /** Identifiers found downstream when recalled (marked under `a/`). */
  affected: number;
}

/** How a recall reached an identifier downstream of the recalled one. */
export interface AffectedMark {
  height: number;
  /** The event that carried the recall to this identifier. */
  via: string | null;
}

/** `a/<id>`: the recalls that reached the identifier, by recalled identifier. */
export type AffectedMarks = Record<string, AffectedMark>;

const HEIGHT_DIGITS = 10;

/**
 * Longest identifier indexed. The node's state keys are at most 1,024 bytes, and an index key is
 * `c/<contract name, ≤ 64>/i/<id>|<10 digits>/<64 hex digits>`; identifiers are ASCII (URIs).
 */
export const IDENTIFIER_CHARS_MAX = 512;

export const eventKey = (hash: string): string => `e/${hash}`;
export const indexPrefix = (id: string): string => `i/${id}|`;
export const indexKey = (id: string, height: number, hash: string): string => `${indexPrefix(id)}${String(height).padStart(HEIGHT_DIGITS, '0')}/${hash}`;
export const recallKey = (id: string): string => `r/${id}`;
export const affectedKey = (id: string): string => `a/${id}`;

/** Stores one of this contract's records (they are JSON by construction). */
export function storeValue<T extends object>(api: ContractApi, key: string, value: T): void {
  api.put(key, value as unknown as Json);
}

/** A stored value, as the type this contract wrote under its key. */
export function stored<T>(api: ContractApi, key: string): T | undefined {
  return api.get(key) as T | undefined;
}

/** Stored values under a prefix, in key order, as the type this contract wrote there. */
export function storedRange<T>(api: ContractApi, prefix: string, limit: number, start?: string): Array<{ key: string; value: T }> {
  return api.range({ prefix, start, limit }) as Array<{ key: string; value: T }>;
}
