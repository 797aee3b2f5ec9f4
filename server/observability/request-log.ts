/**
 * One JSON log line per request (pino through pino-http) with a request id: the caller's
 * X-Request-Id when it is sane, else a new UUID. The id goes back in the X-Request-Id header of
 * every response and into the JSON body of every error response (`requestId`), so that a user's
 * report of an error leads to its log line.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler } from 'express';
import { pino } from 'pino';
import type { DestinationStream, Level, LevelWithSilent, Logger } from 'pino';
import { pinoHttp } from 'pino-http';

/** An incoming id is kept when it is short and plain (no spaces or control characters to forge log lines). */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

export function requestIdFor(incoming: string | string[] | undefined): string {
  const value = Array.isArray(incoming) ? incoming[0] : incoming;
  return value && SANE_REQUEST_ID.test(value) ? value : randomUUID();
}

/** The request's id (set by requestLogger), or undefined outside an HTTP request. */
export function requestIdOf(req: IncomingMessage): string | undefined {
  const id = (req as IncomingMessage & { id?: unknown }).id;
  return typeof id === 'string' ? id : undefined;
}

export function createLogger(level: LevelWithSilent, destination?: DestinationStream): Logger {
  return pino({ level, base: { app: 'hexwatch' }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}

/** Probes are polled every few seconds: their successes log at debug. */
const PROBES = new Set(['/healthz', '/readyz']);

function pathOf(url: string | undefined): string {
  // the query is left out: OAuth codes and tRPC inputs do not belong in logs
  return (url ?? '').split('?')[0]!.slice(0, 200);
}

export function requestLogger(logger: Logger): RequestHandler {
  const middleware = pinoHttp<IncomingMessage, ServerResponse>({
    logger,
    genReqId(req, res) {
      const id = requestIdFor(req.headers['x-request-id']);
      res.setHeader('X-Request-Id', id);
      return id;
    },
    wrapSerializers: false,
    serializers: {
      req: (req: IncomingMessage & { id?: string; ip?: string; originalUrl?: string }) => ({
        id: req.id,
        method: req.method,
        path: pathOf(req.originalUrl ?? req.url),
        ip: req.ip ?? req.socket?.remoteAddress,
      }),
      res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
    },
    customLogLevel(req, res, error): Level {
      // a probe's 503 while the database migrates or the demo seeds is the answer it asked for
      if (PROBES.has(pathOf(req.url)) && !error) return 'debug';
      if (error || res.statusCode >= 500) return 'error';
      if (res.statusCode >= 400) return 'warn';
      return 'info';
    },
  });
  return (req, res, next) => {
    middleware(req, res);
    // error bodies carry the id too (tRPC's errors get it from server/trpc.ts's error formatter)
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      if (res.statusCode >= 400 && body && typeof body === 'object' && !Array.isArray(body) && !('requestId' in body)) {
        return json({ ...(body), requestId: requestIdOf(req as Request) });
      }
      return json(body);
    };
    next();
  };
}
