// Files users upload live under DATA_DIR/uploads/<user_id>/, so a user's files can be found, checked
// for ownership and removed with the user. Nothing here is served publicly, and nothing is readable by
// other accounts on the machine: folders are 0700 and files 0600, whatever the umask.
import { randomUUID } from 'node:crypto';
import { constants, createWriteStream } from 'node:fs';
import { access, chmod, mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Errors } from './http/errors.ts';

/** A stored file as a path on this machine, for as long as it is needed (a copy, with remote storage). */
export interface LocalFile {
  path: string;
  /** Call when done with the file: removes a temporary copy. */
  release(): Promise<void>;
}

/** An upload stream; multipart sets `truncated` when the size limit cut it short. */
export type UploadStream = Readable & { truncated?: boolean };

const PRIVATE_FOLDER_MODE = 0o700;
const PRIVATE_FILE_MODE = 0o600;

export interface Storage {
  /**
   * Streams a user's upload to a fresh temporary file in DATA_DIR/tmp; nothing is left when it fails.
   * A user whose folder is already at the quota is refused before anything is written.
   */
  receive(userId: string, stream: UploadStream, maxBytes: number): Promise<string>;
  /**
   * Moves a finished temporary file to the user's folder; returns the path relative to DATA_DIR.
   * Refused (413) when the file would take the folder over the quota; the temporary file then stays.
   */
  keep(tempPath: string, userId: string, kind: string, extension: string): Promise<string>;
  /**
   * Writes a file the server made for a user (spoken questions) into their folder, under `kind`, by
   * way of a temporary file so a reader never sees half of it; returns its absolute path.
   */
  writeUserFile(userId: string, kind: string, name: string, data: Buffer): Promise<string>;
  /** The absolute path a `writeUserFile` of these names has, whether or not it exists. */
  userFilePath(userId: string, kind: string, name: string): string;
  /** The absolute path of a stored file if it lies in the user's own folder, else null. */
  ownedPath(userId: string, storedPath: string): string | null;
  remove(absolutePath: string): Promise<void>;
  removeUserFiles(userId: string): Promise<void>;
  /** Removes temporary files a crash left behind; run at start, before any upload can begin. */
  clearTemporaryFiles(): Promise<void>;
  /** Throws when DATA_DIR is gone or not writable (uploads would fail or vanish). */
  checkWritable(): Promise<void>;
}

export interface StorageOptions {
  /** Most bytes a user may keep in their folder. */
  userQuotaBytes: number;
}

export function createStorage(dataDir: string, { userQuotaBytes }: StorageOptions): Storage {
  const uploadsDir = join(dataDir, 'uploads');
  const tmpDir = join(dataDir, 'tmp');
  const userDir = (userId: string) => join(uploadsDir, userId);
  const quotaMb = userQuotaBytes / 1024 / 1024;

  /** Bytes of every file in the user's folder. */
  async function storedBytes(userId: string): Promise<number> {
    let entries;
    try {
      entries = await readdir(userDir(userId), { recursive: true, withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw error;
    }
    const sizes = await Promise.all(
      entries
        .filter((entry) => entry.isFile())
        .map((entry) =>
          stat(join(entry.parentPath, entry.name)).then(
            (file) => file.size,
            () => 0,
          ),
        ),
    );
    return sizes.reduce((sum, size) => sum + size, 0);
  }

  // A user's files are kept one at a time, so two uploads cannot both take the last room of the quota.
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
    async receive(userId, stream, maxBytes) {
      if ((await storedBytes(userId)) >= userQuotaBytes) throw new Errors.QuotaExceeded(quotaMb);
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
    keep(tempPath, userId, kind, extension) {
      return oneAtATimePerUser(userId, async () => {
        const { size } = await stat(tempPath);
        if ((await storedBytes(userId)) + size > userQuotaBytes) throw new Errors.QuotaExceeded(quotaMb);
        const folder = join(userDir(userId), kind);
        await mkdir(folder, { recursive: true, mode: PRIVATE_FOLDER_MODE });
        const target = join(folder, `${randomUUID()}${extension}`);
        await rename(tempPath, target);
        // A remuxed copy was written by ffmpeg with the umask's mode.
        await chmod(target, PRIVATE_FILE_MODE);
        return relative(dataDir, target);
      });
    },
    userFilePath(userId, kind, name) {
      return join(userDir(userId), kind, name);
    },
    async writeUserFile(userId, kind, name, data) {
      await mkdir(tmpDir, { recursive: true, mode: PRIVATE_FOLDER_MODE });
      const temp = join(tmpDir, randomUUID());
      const folder = join(userDir(userId), kind);
      try {
        await writeFile(temp, data, { mode: PRIVATE_FILE_MODE });
        await mkdir(folder, { recursive: true, mode: PRIVATE_FOLDER_MODE });
        await rename(temp, join(folder, name));
      } finally {
        await rm(temp, { force: true });
      }
      return join(folder, name);
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
    async clearTemporaryFiles() {
      await rm(tmpDir, { recursive: true, force: true });
    },
    async checkWritable() {
      await access(dataDir, constants.W_OK);
    },
  };
}
