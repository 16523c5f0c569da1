import { randomUUID } from 'node:crypto';
import { posix } from 'node:path';
import { open } from 'node:fs/promises';
import type { Selectable } from 'kysely';
import type { PdfLimits } from '../config.ts';
import type { Db } from '../db/index.ts';
import { countOwned, findOwned, insertOwnedWithin, listOwned } from '../db/owned.ts';
import type { PortfolioTable } from '../db/schema.ts';
import { Errors } from '../http/errors.ts';
import type { Storage, UploadStream } from '../storage.ts';
import { createPdfReader } from './pdf.ts';
import type { PortfolioCreate } from './schemas.ts';

export type Portfolio = Selectable<PortfolioTable>;

export interface PdfUpload {
  userId: string;
  filename: string;
  stream: UploadStream;
}

// The PDF header may follow a little junk, which readers tolerate (PDF 1.7, annex H).
const PDF_MAGIC = Buffer.from('%PDF-');
const PDF_MAGIC_WINDOW = 1024;

/** 415 unless the file starts like a PDF, whatever its name; read without loading the whole file. */
async function assertPdfHeader(file: string): Promise<void> {
  const handle = await open(file);
  try {
    const { buffer, bytesRead } = await handle.read({ buffer: Buffer.alloc(PDF_MAGIC_WINDOW), position: 0 });
    if (!buffer.subarray(0, bytesRead).includes(PDF_MAGIC))
      throw new Errors.UnsupportedMedia('Only PDF files are allowed');
  } finally {
    await handle.close();
  }
}

/**
 * Portfolios one account may keep. A candidate has a few (a CV, a portfolio, a version per role); each
 * may hold PDF_MAX_TEXT_CHARS of text, so this also bounds a user's list reply and database rows.
 */
export const PORTFOLIOS_PER_USER = 20;

export interface PortfolioServiceOptions {
  maxBytes: number;
  pdf: PdfLimits;
}

export function createPortfolioService(db: Db, storage: Storage, { maxBytes, pdf }: PortfolioServiceOptions) {
  const pdfReader = createPdfReader(pdf);
  async function insert(
    userId: string,
    fields: Omit<Portfolio, 'id' | 'user_id' | 'created_at'>,
    id: string = randomUUID(),
  ) {
    const portfolio = { id, user_id: userId, ...fields, created_at: new Date().toISOString() };
    if (!(await insertOwnedWithin(db, 'portfolio', portfolio, PORTFOLIOS_PER_USER)))
      throw new Errors.TooManyRecords(PORTFOLIOS_PER_USER, 'portfolios');
    return portfolio;
  }

  return {
    maxBytes,
    pdfLimits: pdf,
    /** Stops the PDF reader processes. */
    close: () => pdfReader.close(),

    async create(userId: string, input: PortfolioCreate): Promise<Portfolio> {
      return insert(userId, {
        filename: input.filename,
        file_url: input.file_url,
        parsed_text: input.parsed_text ?? null,
        summary: input.summary ?? null,
      });
    },

    /** 409 when the user already keeps as many portfolios as an account may: checked before an upload is stored. */
    async assertRoom(userId: string): Promise<void> {
      if ((await countOwned(db, 'portfolio', userId)) >= PORTFOLIOS_PER_USER)
        throw new Errors.TooManyRecords(PORTFOLIOS_PER_USER, 'portfolios');
    },

    /** Streams an upload to a temporary file; the caller passes the path to `upload` or discards it. */
    receive: (upload: PdfUpload) => storage.receive(upload.userId, upload.stream, maxBytes),

    discard: (tempPath: string) => storage.discard(tempPath),

    /** Checks and parses a received PDF, and keeps it only if all went well; the temporary file goes. */
    async upload(userId: string, upload: { tempPath: string; filename: string }): Promise<Portfolio> {
      let kept: string | undefined;
      try {
        await assertPdfHeader(upload.tempPath);
        const parsed_text = await pdfReader.read(upload.tempPath);
        kept = await storage.keep(upload.tempPath, userId, 'portfolios', '.pdf');
        // The record takes its file's name as its id: that is how `remove` knows the file is its own.
        return await insert(
          userId,
          { filename: upload.filename, file_url: kept, parsed_text, summary: null },
          posix.basename(kept, '.pdf'),
        );
      } catch (error) {
        if (kept) await storage.remove(kept);
        throw error;
      } finally {
        await storage.discard(upload.tempPath);
      }
    },

    async get(userId: string, id: string): Promise<Portfolio> {
      const portfolio = await findOwned(db, 'portfolio', userId, id);
      if (!portfolio) throw new Errors.NotFound('Portfolio');
      return portfolio;
    },

    async list(userId: string, page: { offset: number; limit: number }): Promise<Portfolio[]> {
      return listOwned(db, 'portfolio', userId, page);
    },

    /**
     * Deletes the record and the PDF that the upload endpoint stored for it (a record made from JSON
     * may point its file_url at any file, even another record's or a video: that file stays);
     * sessions keep going without it.
     */
    async remove(userId: string, id: string): Promise<void> {
      const portfolio = await this.get(userId, id);
      await db.deleteFrom('portfolio').where('id', '=', id).execute();
      const key = storage.ownedKey(userId, portfolio.file_url);
      if (key && posix.basename(key) === `${id}.pdf` && posix.basename(posix.dirname(key)) === 'portfolios')
        await storage.remove(key);
    },
  };
}

export type PortfolioService = ReturnType<typeof createPortfolioService>;
