// Files users upload are stored under keys `uploads/<user_id>/<kind>/<uuid><ext>`, so a user's files can
// be found, checked for ownership, counted against their quota and removed with the user. The keys
// live in the data folder (DATA_DIR/<key>, the default) or in an S3-compatible bucket; either way an
// upload is first received whole into a temporary file in DATA_DIR/tmp (the content checks need a
// local file) and stored only once it passed them. Nothing stored is served publicly.
import { randomUUID } from 'node:crypto';
import { constants, createWriteStream } from 'node:fs';
import { access, mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { StorageSettings } from './config.ts';
import { Errors } from './http/errors.ts';
import type { ByteRange, FileStore, LocalFile } from './storage/file-store.ts';
import { localFileStore, PRIVATE_FILE_MODE, PRIVATE_FOLDER_MODE } from './storage/local.ts';
import { s3FileStore } from './storage/s3.ts';

export type { ByteRange, FileStore, LocalFile } from './storage/file-store.ts';

/** An upload stream; multipart sets `truncated` when the size limit cut it short. */
export type UploadStream = Readable & { truncated?: boolean };

export interface Storage {
  /** Where the files are, for messages (never a credential). */
  readonly description: string;
  /**
   * Streams a user's upload to a fresh temporary file in DATA_DIR/tmp; nothing is left when it fails.
   * A user whose files are already at the quota is refused before anything is written.
   */
  receive(userId: string, stream: UploadStream, maxBytes: number): Promise<string>;
  /** Removes a temporary file (of `receive`, or one made beside it). */
  discard(tempPath: string): Promise<void>;
  /**
   * Stores a finished temporary file among the user's files and returns its key. Refused (413) when
   * the file would take the user over the quota. The temporary file is the caller's to discard.
   */
  keep(tempPath: string, userId: string, kind: string, extension: string): Promise<string>;
  /**
   * Stores a file the server made for a user (spoken questions) among their files, under `kind`, as
   * `name` (a reader never sees half of it); returns its key.
   */
  writeUserFile(userId: string, kind: string, name: string, data: Buffer): Promise<string>;
  /** The key a `writeUserFile` of these names has, whether or not it exists. */
  userFileKey(userId: string, kind: string, name: string): string;
  /** The key of a stored path (a record's `file_url`, say) if it lies among the user's own files, else null. */
  ownedKey(userId: string, storedPath: string): string | null;
  /** A stored file's size, or null when it is missing. */
  size(key: string): Promise<number | null>;
  /** A stored file's bytes, or those of a range. */
  read(key: string, range?: ByteRange): Promise<Readable>;
  /** A stored file as a path on this machine (a temporary copy with a bucket), until released. */
  localCopy(key: string): Promise<LocalFile>;
  remove(key: string): Promise<void>;
  removeUserFiles(userId: string): Promise<void>;
  /** Bytes the user keeps, videos and portfolios together. */
  usedBytes(userId: string): Promise<number>;
  /**
   * Removes temporary files a crash left behind; run at start. Only those older than any upload or
   * analysis can last: other processes sharing the data folder may be using the younger ones.
   */
  clearTemporaryFiles(): Promise<void>;
  /** Throws when DATA_DIR is gone or not writable, or the bucket does not answer (uploads would fail). */
  checkWritable(): Promise<void>;
}

export interface StorageOptions {
  /** Most bytes a user may keep. */
  userQuotaBytes: number;
  /** Where files are kept: DATA_DIR (default) or a bucket. */
  settings?: StorageSettings;
  /** The longest a temporary file is in use (the longest upload or analysis); older ones are leftovers. */
  temporaryLifetimeSec: number;
}

/** The folder of a user's files: every key of theirs starts with it. */
export const userPrefix = (userId: string) => `uploads/${userId}/`;

/**
 * The key a stored path names, if it lies among the user's files. `..` segments are resolved first, so
 * `uploads/<me>/../<you>/x` is yours, not mine; an absolute path is taken as a key, never as a path.
 */
export function ownedKey(userId: string, storedPath: string): string | null {
  const key = posix.resolve('/', storedPath).slice(1);
  return key.startsWith(userPrefix(userId)) && key.length > userPrefix(userId).length ? key : null;
}

export function fileStoreFor(dataDir: string, settings: StorageSettings = { kind: 'local' }): FileStore {
  return settings.kind === 's3' ? s3FileStore(settings) : localFileStore(dataDir);
}

export function createStorage(
  dataDir: string,
  { userQuotaBytes, settings, temporaryLifetimeSec }: StorageOptions,
): Storage {
  const store = fileStoreFor(dataDir, settings);
  const tmpDir = join(dataDir, 'tmp');
  const quotaMb = userQuotaBytes / 1024 / 1024;
  const usedBytes = (userId: string) => store.bytesUnder(userPrefix(userId));

  // A user's files are kept one at a time (in this process), so two uploads cannot both take the last
  // room of the quota.
  const keeping = new Map<string, Promise<unknown>>();
  function oneAtATimePerUser<T>(userId: string, task: () => Promise<T>): Promise<T> {
    const run = (keeping.get(userId) ?? Promise.resolve()).then(task);
    const settled = run.catch(() => {});
    keeping.set(userId, settled);
    void settled.then(() => {
      if (keeping.get(userId) === settled) keeping.delete(userId);
    });
    return run;
  }

  return {
    description: store.description,
    async receive(userId, stream, maxBytes) {
      if ((await usedBytes(userId)) >= userQuotaBytes) throw new Errors.QuotaExceeded(quotaMb);
      await mkdir(tmpDir, { recursive: true, mode: PRIVATE_FOLDER_MODE });
      const temp = join(tmpDir, randomUUID());
      try {
        await pipeline(stream, createWriteStream(temp, { mode: PRIVATE_FILE_MODE }));
        if (stream.truncated) throw new Errors.FileTooLarge(maxBytes / 1024 / 1024);
        return temp;
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
    },
    async discard(tempPath) {
      await rm(tempPath, { force: true });
    },
    keep(tempPath, userId, kind, extension) {
      return oneAtATimePerUser(userId, async () => {
        const { size } = await stat(tempPath);
        if ((await usedBytes(userId)) + size > userQuotaBytes) throw new Errors.QuotaExceeded(quotaMb);
        const key = `${userPrefix(userId)}${kind}/${randomUUID()}${extension}`;
        await store.put(key, tempPath);
        return key;
      });
    },
    userFileKey: (userId, kind, name) => `${userPrefix(userId)}${kind}/${name}`,
    async writeUserFile(userId, kind, name, data) {
      // Files the server makes for a user count against their quota like their uploads.
      if ((await usedBytes(userId)) + data.length > userQuotaBytes) throw new Errors.QuotaExceeded(quotaMb);
      await mkdir(tmpDir, { recursive: true, mode: PRIVATE_FOLDER_MODE });
      const temp = join(tmpDir, randomUUID());
      const key = `${userPrefix(userId)}${kind}/${name}`;
      try {
        await writeFile(temp, data, { mode: PRIVATE_FILE_MODE });
        await store.put(key, temp);
      } finally {
        await rm(temp, { force: true });
      }
      return key;
    },
    ownedKey,
    size: (key) => store.size(key),
    read: (key, range) => store.read(key, range),
    async localCopy(key) {
      await mkdir(tmpDir, { recursive: true, mode: PRIVATE_FOLDER_MODE });
      return store.localCopy(key, tmpDir);
    },
    remove: (key) => store.remove(key),
    removeUserFiles: (userId) => store.removeAll(userPrefix(userId)),
    usedBytes,
    async clearTemporaryFiles() {
      const before = Date.now() - temporaryLifetimeSec * 1000;
      let entries;
      try {
        entries = await readdir(tmpDir, { withFileTypes: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw error;
      }
      for (const entry of entries) {
        const path = join(tmpDir, entry.name);
        const modified = await stat(path).then(
          (file) => file.mtimeMs,
          () => Date.now(),
        );
        if (modified < before) await rm(path, { recursive: true, force: true });
      }
    },
    async checkWritable() {
      await access(dataDir, constants.W_OK);
      await store.check();
    },
  };
}
