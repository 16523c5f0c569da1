// Request bodies that stop arriving are cut: 408 on the socket, the connection closed. Without this a
// body that stalls holds its connection until REQUEST_TIMEOUT_SEC (sized for a large video on a slow
// line: over an hour), and a few hundred such requests, no login needed, hold the server's sockets.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Errors, replyOnSocketAndClose } from './errors.ts';

/** A JSON body is at most 2 MB and usually a few KB: it has this long to arrive whole, however it trickles. */
export const JSON_BODY_TIMEOUT_MS = 60_000;

export interface IdleCut {
  readonly cut: boolean;
  stop(): void;
}

/**
 * Watches the connection while a body is read: when nothing arrives for `idleMs` (or the body is not
 * whole after `totalMs`), answers 408 on the socket and closes it, which fails whoever reads the body.
 */
export function cutWhenIdle(request: FastifyRequest, idleMs: number, totalMs?: number): IdleCut {
  const { socket } = request.raw;
  const previousTimeout = socket.timeout ?? 0;
  let cut = false;
  let stopped = false;
  const onIdle = () => {
    if (cut || stopped) return;
    cut = true;
    request.log.info({ idleSec: idleMs / 1000 }, 'a request body stalled: answered 408 and closed the connection');
    const error = new Errors.UploadStalled(idleMs / 1000);
    replyOnSocketAndClose(socket, { status: error.statusCode, detail: error.message, code: error.code });
  };
  // Node calls the request's listener only while the request has not been read whole.
  request.raw.setTimeout(idleMs, onIdle);
  const deadline = totalMs === undefined ? undefined : setTimeout(() => request.raw.complete || onIdle(), totalMs);
  return {
    get cut() {
      return cut;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(deadline);
      request.raw.off('timeout', onIdle);
      socket.setTimeout(previousTimeout);
    },
  };
}

/** Every body but a multipart form's (which `receiveForm` watches itself, with no total limit) is watched. */
export function cutStalledBodies(app: FastifyInstance, idleMs: number, totalMs = JSON_BODY_TIMEOUT_MS): void {
  app.addHook('onRequest', async (request, reply) => {
    const { headers } = request.raw;
    const hasBody = headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0;
    if (!hasBody || request.raw.complete || /^multipart\//i.test(headers['content-type'] ?? '')) return;
    // A request made in the process (app.inject: the demo data, tests) has no connection to watch.
    if (typeof request.raw.setTimeout !== 'function') return;
    const idle = cutWhenIdle(request, idleMs, totalMs);
    request.raw.once('end', () => idle.stop());
    reply.raw.once('close', () => idle.stop());
  });
}
