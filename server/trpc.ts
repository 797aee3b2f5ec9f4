/**
 * tRPC is created once here; the rest of the server uses only these builders.
 * No transformer: plain JSON over HTTP, timestamps as ISO strings, so curl works.
 */
import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import { WorkflowError } from './domain/closure.js';
import { BadInputError } from './domain/errors.js';
import type { Role } from './domain/incident.js';
import type { Context } from './context.js';
import { scopeForUser } from './store/scope.js';
import { observeProcedure } from './observability/metrics.js';

/** What a client is told about a failure on the server; the details are in the server's log. */
export const INTERNAL_ERROR_MESSAGE = 'The server failed to answer; the error is logged. Try again later.';

/** SSE (live.changes): a ping when nothing else was sent for this long keeps proxies from closing idle streams. */
export const SSE_PING_MS = 5_000;
/** The client reconnects (with lastEventId) after this long without any event or ping. */
export const SSE_CLIENT_TIMEOUT_MS = 20_000;

const t = initTRPC.context<Context>().create({
  sse: {
    ping: { enabled: true, intervalMs: SSE_PING_MS },
    client: { reconnectAfterInactivityMs: SSE_CLIENT_TIMEOUT_MS },
  },
  errorFormatter({ shape, error, ctx }) {
    // zod issues reach the client as `data.issues` ([{path, message}]) so forms can point at fields.
    // and the message names each field, instead of tRPC's default JSON dump of the issues.
    const issues =
      error.cause instanceof ZodError
        ? error.cause.issues.map((i) => ({ path: i.path.map(String).join('.') || 'input', message: i.message }))
        : undefined;
    return {
      ...shape,
      // A 500's own message is an engine's or a library's (a SQL constraint, a file path): it is
      // logged on the server (app.ts) and the client gets a plain sentence instead.
      message:
        error.cause instanceof ZodError
          ? describeZodError(error.cause)
          : error.code === 'INTERNAL_SERVER_ERROR'
            ? INTERNAL_ERROR_MESSAGE
            : shape.message,
      data: {
        ...shape.data,
        stack: undefined,
        issues,
        // a CONFLICT names the incident's status and version now, so the client can refresh
        current: error.cause instanceof WorkflowError ? error.cause.current : undefined,
        // the id of the request's log line (also in the X-Request-Id header)
        requestId: ctx?.requestId,
      },
    };
  },
});

/** `field.path: problem; ...` for zod issues: a message a person can act on. */
export function describeZodError(error: ZodError): string {
  return error.issues.map((i) => `${i.path.map(String).join('.') || 'input'}: ${i.message}`).join('; ');
}

/**
 * Bad input is the caller's error with a message naming the field: zod's (input parsing runs
 * inside this middleware) and BadInputError from below the edge (a cursor, a cell id).
 */
const badInputToBadRequest = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (cause instanceof BadInputError) throw new TRPCError({ code: 'BAD_REQUEST', message: cause.message, cause });
    if (cause instanceof ZodError && result.error.code === 'BAD_REQUEST') {
      throw new TRPCError({ code: 'BAD_REQUEST', message: describeZodError(cause), cause });
    }
  }
  return result;
});

/** Each call's duration by procedure and result, for /metrics. */
const timed = t.middleware(async ({ path, type, next }) => {
  const started = performance.now();
  const result = await next();
  observeProcedure(path, type, result.ok ? 'ok' : result.error.code, (performance.now() - started) / 1000);
  return result;
});

export const router = t.router;
export const publicProcedure = t.procedure.use(timed).use(badInputToBadRequest);
export const createCallerFactory = t.createCallerFactory;

/** Signed-in users only; adds `user` and the store `scope` every query must apply. */
export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first.' });
  return next({ ctx: { ...ctx, user: ctx.user, scope: scopeForUser(ctx.user) } });
});

/** Signed-in users with one of the roles. */
export function roleProcedure(...roles: Role[]) {
  return authedProcedure.use(({ ctx, next }) => {
    if (!roles.includes(ctx.user.role)) {
      throw new TRPCError({ code: 'FORBIDDEN', message: `Needs role ${roles.join(' or ')}.` });
    }
    return next();
  });
}
