/**
 * tRPC is created once here; the rest of the server uses only these builders.
 * No transformer: plain JSON over HTTP, timestamps as ISO strings, so curl works.
 */
import { initTRPC, TRPCError } from '@trpc/server';
import type { Role } from './domain/incident.js';
import type { Context } from './context.js';
import { scopeForUser } from './store/scope.js';

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error }) {
    // zod issues reach the client as `data.issues` ([{path, message}]) so forms can point at fields.
    const cause = error.cause as { issues?: Array<{ path: PropertyKey[]; message: string }> } | undefined;
    return {
      ...shape,
      data: {
        ...shape.data,
        stack: undefined,
        issues: cause?.issues?.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
      },
    };
  },
});

export const router = t.router;
export const publicProcedure = t.procedure;
export const createCallerFactory = t.createCallerFactory;

/** Signed-in users only; adds `user` and the store `scope` every query must apply. */
export const authedProcedure = t.procedure.use(({ ctx, next }) => {
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
