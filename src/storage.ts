// Files users upload live under DATA_DIR/uploads/<user_id>/, so a user's files can be found, checked
// for ownership and removed with the user. Nothing here is served publicly.
import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';

export interface Storage {
  /** A fresh path in DATA_DIR/tmp for an upload in progress. */
  tempFile(): Promise<string>;
  /** Moves a finished temporary file to the user's folder; returns the path relative to DATA_DIR. */
  keep(tempPath: string, userId: string, kind: string, extension: string): Promise<string>;
  /** The absolute path of a stored file if it lies in the user's own folder, else null. */
  ownedPath(userId: string, storedPath: string): string | null;
  remove(absolutePath: string): Promise<void>;
  removeUserFiles(userId: string): Promise<void>;
}

export function createStorage(dataDir: string): Storage {
  const uploadsDir = join(dataDir, 'uploads');
  const tmpDir = join(dataDir, 'tmp');
  const userDir = (userId: string) => join(uploadsDir, userId);

  return {
    async tempFile() {
      await mkdir(tmpDir, { recursive: true });
      return join(tmpDir, randomUUID());
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
  };
}
