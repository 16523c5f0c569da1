// Files in the data folder, at DATA_DIR/<key>. Folders are 0700 and files 0600, whatever the umask, so
// nothing is readable by other accounts on the machine; nothing here is served as a static file.
import { chmod, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { FileStore } from './file-store.ts';

export const PRIVATE_FOLDER_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

const missing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

export function localFileStore(dataDir: string): FileStore {
  const pathOf = (key: string) => join(dataDir, key);

  return {
    description: 'the data folder',
    async put(key, localPath) {
      const target = pathOf(key);
      await mkdir(dirname(target), { recursive: true, mode: PRIVATE_FOLDER_MODE });
      await rename(localPath, target);
      // A remuxed copy was written by ffmpeg with the umask's mode.
      await chmod(target, PRIVATE_FILE_MODE);
    },
    async size(key) {
      try {
        const file = await stat(pathOf(key));
        return file.isFile() ? file.size : null;
      } catch (error) {
        if (missing(error)) return null;
        throw error;
      }
    },
    async read(key, range) {
      // Opened first, so that a missing file rejects here rather than failing the stream later.
      const handle = await open(pathOf(key));
      return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
    },
    async localCopy(key) {
      const path = pathOf(key);
      await stat(path);
      return { path, release: async () => {} };
    },
    async remove(key) {
      await rm(pathOf(key), { force: true });
    },
    async removeAll(prefix) {
      await rm(pathOf(prefix), { recursive: true, force: true });
    },
    async bytesUnder(prefix) {
      let entries;
      try {
        entries = await readdir(pathOf(prefix), { recursive: true, withFileTypes: true });
      } catch (error) {
        if (missing(error)) return 0;
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
    },
    // The data folder itself is checked for every store (temporary files live there).
    async check() {},
  };
}
