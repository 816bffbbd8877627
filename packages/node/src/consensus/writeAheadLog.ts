import { closeSync, fdatasyncSync, fstatSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { XinlianError } from '@xinlian/protocol';

const HEADER_BYTES = 8;
/** A record larger than this is refused on write and treated as corruption on read. */
export const WAL_RECORD_BYTES_MAX = 4 * 1024 * 1024;

function checksum(bytes: Uint8Array): number {
  return createHash('sha256').update(bytes).digest().readUInt32BE(0);
}

/**
 * The consensus write-ahead log: every signed proposal or vote is appended here, and fsynced,
 * before it leaves the node (docs/adr/006). Records are `u32 length || u32 checksum || bytes`.
 * A crash can tear only the last append: on open, an incomplete or mismatching final record is cut
 * off; a bad record before the end is disk corruption and stops the node.
 */
export class WriteAheadLog {
  private constructor(private readonly fd: number, private sizeBytes: number, readonly recovered: Uint8Array[]) {}

  static open(path: string): WriteAheadLog {
    const fd = openSync(path, 'a+');
    try {
      const { records, validBytes, fileBytes } = readRecords(fd, path);
      if (validBytes < fileBytes) {
        ftruncateSync(fd, validBytes);
        fdatasyncSync(fd);
      }
      return new WriteAheadLog(fd, validBytes, records);
    } catch (error) {
      closeSync(fd); // a refused WAL keeps no descriptor open
      throw error;
    }
  }

  /** Appends the records and returns once they are on disk. */
  append(records: readonly Uint8Array[]): void {
    if (records.length === 0) return;
    let total = 0;
    for (const record of records) {
      if (record.length > WAL_RECORD_BYTES_MAX) throw new XinlianError('STORAGE_ERROR', `WAL record of ${record.length} bytes exceeds ${WAL_RECORD_BYTES_MAX}`);
      total += HEADER_BYTES + record.length;
    }
    const buffer = Buffer.allocUnsafe(total);
    let offset = 0;
    for (const record of records) {
      buffer.writeUInt32BE(record.length, offset);
      buffer.writeUInt32BE(checksum(record), offset + 4);
      buffer.set(record, offset + HEADER_BYTES);
      offset += HEADER_BYTES + record.length;
    }
    writeSync(this.fd, buffer, 0, buffer.length);
    fdatasyncSync(this.fd);
    this.sizeBytes += total;
  }

  /** Drops every record (after a height is committed, its records are no longer needed). */
  reset(): void {
    ftruncateSync(this.fd, 0);
    fdatasyncSync(this.fd);
    this.sizeBytes = 0;
  }

  get bytes(): number {
    return this.sizeBytes;
  }

  close(): void {
    closeSync(this.fd);
  }
}

function readRecords(fd: number, path: string): { records: Uint8Array[]; validBytes: number; fileBytes: number } {
  const fileBytes = fstatSync(fd).size;
  const data = Buffer.alloc(fileBytes);
  let read = 0;
  while (read < fileBytes) read += readSync(fd, data, read, fileBytes - read, read);
  const records: Uint8Array[] = [];
  let offset = 0;
  while (offset < fileBytes) {
    // A header or body that runs past the end of the file is the torn tail of the last append.
    if (offset + HEADER_BYTES > fileBytes) break;
    const length = data.readUInt32BE(offset);
    const end = offset + HEADER_BYTES + length;
    if (end > fileBytes) break;
    const record = new Uint8Array(data.subarray(offset + HEADER_BYTES, end));
    if (length > WAL_RECORD_BYTES_MAX || checksum(record) !== data.readUInt32BE(offset + 4)) {
      if (end === fileBytes) break;
      throw new XinlianError('STORAGE_ERROR', `WAL ${path} is corrupt at byte ${offset} (a bad record before the last one)`);
    }
    records.push(record);
    offset = end;
  }
  return { records, validBytes: offset, fileBytes };
}
