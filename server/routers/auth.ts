import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { SESSION_COOKIE } from '../context.js';
import type { User } from '../store/types.js';
import { publicProcedure, router } from '../trpc.js';

export interface UserDto {
  id: string;
  name: string;
  role: User['role'];
  storeIds: number[];
}

function toUserDto(user: User): UserDto {
  return { id: user.id, name: user.name, role: user.role, storeIds: [...user.storeIds] };
}

const devOnly = publicProcedure.use(({ ctx, next }) => {
  if (ctx.env.AUTH_MODE !== 'dev') {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'Demo sign-in is only available with AUTH_MODE=dev.' });
  }
  return next();
});

export const authRouter = router({
  /** The signed-in user, or null. */
  me: publicProcedure.query(({ ctx }): UserDto | null => (ctx.user ? toUserDto(ctx.user) : null)),

  /** Demo users to pick from on the dev sign-in screen (AUTH_MODE=dev only). */
  demoUsers: devOnly.query(async ({ ctx }): Promise<UserDto[]> => {
    const users = await ctx.store.listUsers();
    return users.filter((u) => u.id.startsWith('demo-')).map(toUserDto);
  }),

  devLogin: devOnly
    .input(z.object({ userId: z.string().min(1).max(100) }).strict())
    .mutation(async ({ ctx, input }): Promise<UserDto> => {
      const user = await ctx.store.getUser(input.userId);
      if (!user || !user.id.startsWith('demo-')) {
        throw new TRPCError({ code: 'NOT_FOUND', message: `userId: no demo user "${input.userId}".` });
      }
      const ttlMs = ctx.env.SESSION_TTL_HOURS * 3_600_000;
      const token = await ctx.store.createSession(user.id, ttlMs);
      ctx.setCookie?.(SESSION_COOKIE, token, { maxAgeMs: ttlMs });
      return toUserDto(user);
    }),

  logout: publicProcedure.mutation(async ({ ctx }) => {
    if (ctx.sessionToken) await ctx.store.deleteSession(ctx.sessionToken);
    ctx.clearCookie?.(SESSION_COOKIE);
    return { ok: true };
  }),
});
