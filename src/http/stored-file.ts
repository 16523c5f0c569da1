// Sends a stored file (a video, a question's speech) with HTTP range support, as media players need it:
// Safari's <video> and <audio> ask for byte ranges before they play.
import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ByteRange } from '../storage.ts';
import { Errors } from './errors.ts';

export interface SendableFile {
  size: number;
  contentType: string;
  read(range?: ByteRange): Promise<Readable>;
}

export async function sendStoredFile(request: FastifyRequest, reply: FastifyReply, file: SendableFile) {
  const { size } = file;
  reply.header('accept-ranges', 'bytes').type(file.contentType);
  // HEAD gets the headers alone: Fastify would otherwise read the whole file (download it, from a
  // bucket) only to drop it.
  const body = (range?: ByteRange) => (request.method === 'HEAD' ? Readable.from([]) : file.read(range));
  const asked = request.headers.range;
  if (!asked) return reply.header('content-length', size).send(await body());
  const range = /^bytes=(\d*)-(\d*)$/.exec(asked);
  const start = range?.[1] ? Number(range[1]) : range?.[2] ? Math.max(0, size - Number(range[2])) : 0;
  const end = range?.[1] && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
  if (!range || start > end || start >= size) {
    reply.header('content-range', `bytes */${size}`);
    throw new Errors.RangeNotSatisfiable();
  }
  return reply
    .status(206)
    .header('content-range', `bytes ${start}-${end}/${size}`)
    .header('content-length', end - start + 1)
    .send(await body({ start, end }));
}
