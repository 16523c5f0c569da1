// Files users upload live under DATA_DIR/uploads/<user_id>/, so a user's files can be found, checked
// for ownership and removed with the user. Nothing here is served publicly.
import { randomUUID } from 'node:crypto';
import { constants, createWriteStream } from 'node:fs';
import { access, mkdir, rename, rm } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Errors } from './http/errors.ts';

/** An upload stream; multipart sets `truncated` when the size limit cut it short. */
export type UploadStream = Readable & { truncated?: boolean };

export interface Storage {
  /** Streams an upload to a fresh temporary file in DATA_DIR/tmp; nothing is left when it fails. */
  receive(stream: UploadStream, maxBytes: number): Promise<string>;
  /** Moves a finished temporary file to the user's folder; returns the path relative to DATA_DIR. */
  keep(tempPath: string, userId: string, kind: string, extension: string): Promise<string>;
  /** The absolute path of a stored file if it lies in the user's own folder, else null. */
  ownedPath(userId: string, storedPath: string): string | null;
  remove(absolutePath: string): Promise<void>;
  removeUserFiles(userId: string): Promise<void>;
  /** Throws when DATA_DIR is gone or not writable (uploads would fail or vanish). */
  checkWritable(): Promise<void>;
}

export function createStorage(dataDir: string): Storage {
  const uploadsDir = join(dataDir, 'uploads');
  const tmpDir = join(dataDir, 'tmp');
  const userDir = (userId: string) => join(uploadsDir, userId);

  return {
    async receive(stream, maxBytes) {
      await mkdir(tmpDir, { recursive: true });
      const temp = join(tmpDir, randomUUID());
      try {
        await pipeline(stream, createWriteStream(temp));
        if (stream.truncated) throw new Errors.FileTooLarge(maxBytes / 1024 / 1024);
        return temp;
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
    },
    async keep(tempPath, userId, kind, extension) {
      const folder = join(userDir(userId), kind);
      await mkdir(folder, { recursive: true });
      const target = join(folder, `${randomUUID()}${extension}`);
      await rename(tempPath, target);
      return relative(dataDir, target);
    },
    ownedPath(userId, storedPath) {
      const absolute = resolve(dataDir, storedPath);
      return absolute.startsWith(userDir(userId) + sep) ? absolute : null;
    },
    async remove(absolutePath) {
      await rm(absolutePath, { force: true });
    },
    async removeUserFiles(userId) {
      await rm(userDir(userId), { recursive: true, force: true });
    },
    async checkWritable() {
      await access(dataDir, constants.W_OK);
    },
  };
}
