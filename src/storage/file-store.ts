// The few things a place that keeps uploaded files must do, by key (`uploads/<user_id>/…`): the local
// data folder and an S3-compatible bucket both do them. Quotas, ownership and temporary files are
// handled once, above this, in ../storage.ts.
import type { Readable } from 'node:stream';

/** A stored file as a path on this machine, for as long as it is needed (a copy, with remote storage). */
export interface LocalFile {
  path: string;
  /** Call when done with the file: removes a temporary copy. */
  release(): Promise<void>;
}

/** Bytes `start` to `end`, both included (as in an HTTP Range header). */
export interface ByteRange {
  start: number;
  end: number;
}

export interface FileStore {
  /** Where the files are, for messages: never a credential. */
  readonly description: string;
  /** Stores a finished local file under `key`; the local file may be moved away by it, or left. */
  put(key: string, localPath: string): Promise<void>;
  /** The file's size in bytes, or null when there is no file under `key`. */
  size(key: string): Promise<number | null>;
  /** The file's bytes, or those of a range; rejects when there is no file under `key`. */
  read(key: string, range?: ByteRange): Promise<Readable>;
  /** The file as a path on this machine; a remote file is copied into `tmpDir` until released. */
  localCopy(key: string, tmpDir: string): Promise<LocalFile>;
  /** Removes the file under `key`, if there is one. */
  remove(key: string): Promise<void>;
  /** Removes every file whose key starts with `prefix` (which ends with a slash). */
  removeAll(prefix: string): Promise<void>;
  /** Bytes of every file whose key starts with `prefix`. */
  bytesUnder(prefix: string): Promise<number>;
  /** Throws when the store cannot be reached or used. */
  check(): Promise<void>;
}
