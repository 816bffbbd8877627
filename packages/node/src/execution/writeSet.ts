import { toHex } from '@xinlian/protocol';
import type { StateReader, StateWrite } from './application.js';

/**
 * One tx's writes over the state it runs on: its own reads see its earlier writes, and writes()
 * gives one write per key (the last), in the order keys were first written.
 */
export class WriteSet implements StateReader {
  protected readonly pending = new Map<string, StateWrite>();

  constructor(protected readonly base: StateReader) {}

  get(key: Uint8Array): Uint8Array | undefined {
    const written = this.pending.get(toHex(key));
    if (written === undefined) return this.base.get(key);
    return written.value ?? undefined;
  }

  set(key: Uint8Array, value: Uint8Array | null): void {
    this.pending.set(toHex(key), { key, value });
  }

  writes(): StateWrite[] {
    return [...this.pending.values()];
  }
}
