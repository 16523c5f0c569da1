// `npm run storage:migrate`: copies every file the database refers to (answer videos, uploaded
// portfolio PDFs) from the local DATA_DIR to the bucket of STORAGE_URL, under the same keys. It can be
// run again at any time: an object already there with the file's size is skipped. Local files are
// left in place; remove DATA_DIR/uploads yourself once the servers run on the bucket.
import { join } from 'node:path';
import { ConfigError, loadConfig, loadDotEnv, type Config } from '../config.ts';
import { openDatabase } from '../db/index.ts';
import { ownedKey } from '../storage.ts';
import { localFileStore } from '../storage/local.ts';
import { s3FileStore } from '../storage/s3.ts';

/** Files copied at the same time. */
const PARALLEL_COPIES = 4;

loadDotEnv();
let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
if (config.storage.kind !== 's3') {
  console.error('Set STORAGE_URL=s3://bucket[/prefix] (and S3_ENDPOINT, S3_REGION as needed): the bucket to copy to.');
  process.exit(2);
}

const source = localFileStore(config.dataDir);
const target = s3FileStore(config.storage);
const { db } = openDatabase(config.databaseUrl);

const counts = { copied: 0, present: 0, missing: 0, failed: 0, notStored: 0 };
let copiedBytes = 0;
try {
  const [videos, portfolios] = await Promise.all([
    db.selectFrom('interview_video').select(['user_id', 'video_url', 'audio_url']).execute(),
    db.selectFrom('portfolio').select(['user_id', 'file_url']).execute(),
  ]);
  const references = [
    ...videos.flatMap((row) => [row.video_url, row.audio_url].map((path) => ({ userId: row.user_id, path }))),
    ...portfolios.map((row) => ({ userId: row.user_id, path: row.file_url })),
  ].filter((reference): reference is { userId: string; path: string } => Boolean(reference.path));
  const keys = new Set<string>();
  for (const { userId, path } of references) {
    // A record made from JSON may name anything (a URL, say): only files among the user's own are stored.
    const key = ownedKey(userId, path);
    if (key) keys.add(key);
    else counts.notStored += 1;
  }

  const queue = [...keys];
  async function copyNext(): Promise<void> {
    for (let key = queue.shift(); key !== undefined; key = queue.shift()) {
      try {
        const size = await source.size(key);
        if (size === null) {
          counts.missing += 1;
          console.error(`missing from DATA_DIR: ${key}`);
        } else if ((await target.size(key)) === size) {
          counts.present += 1;
        } else {
          await target.put(key, join(config.dataDir, key));
          counts.copied += 1;
          copiedBytes += size;
        }
      } catch (error) {
        counts.failed += 1;
        console.error(`failed: ${key}: ${(error as Error).message}`);
      }
    }
  }
  await Promise.all(Array.from({ length: PARALLEL_COPIES }, copyNext));
  console.log(
    `${keys.size} files referenced: ${counts.copied} copied (${(copiedBytes / 1024 / 1024).toFixed(1)} MB), ` +
      `${counts.present} already in ${target.description}, ${counts.missing} missing from DATA_DIR, ` +
      `${counts.failed} failed; ${counts.notStored} references are not stored files`,
  );
} finally {
  await db.destroy();
  target.client.destroy();
}
// A file the database refers to that is not in the bucket is a problem to look into, missing or failed.
process.exitCode = counts.failed || counts.missing ? 1 : 0;
