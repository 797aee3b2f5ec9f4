import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { SESSION_COOKIE } from '../context.js';
import { SignInError, signInWithFeishuCode } from '../feishu/auth/sign-in.js';
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

/** How each sign-in failure reaches the client: a bad code is retried, the rest is shown. */
const SIGN_IN_ERROR_CODES = {
  not_configured: 'PRECONDITION_FAILED',
  bad_code: 'UNAUTHORIZED',
  no_access: 'FORBIDDEN',
  unknown_user: 'FORBIDDEN',
  feishu_unavailable: 'BAD_GATEWAY',
} as const;

export interface AuthConfigDto {
  mode: 'dev' | 'feishu';
  /** Present when Feishu sign-in is configured: what the client needs to ask for a code. */
  feishu: { appId: string; jsSdkUrl: string; oauthStartPath: string } | null;
}

export const authRouter = router({
  /** What the sign-in screen needs: the mode, and the Feishu app id and JS SDK URL. */
  config: publicProcedure.query(({ ctx }): AuthConfigDto => ({
    mode: ctx.env.AUTH_MODE,
    feishu:
      ctx.env.FEISHU_APP_ID && ctx.env.FEISHU_APP_SECRET
        ? { appId: ctx.env.FEISHU_APP_ID, jsSdkUrl: ctx.env.FEISHU_JSSDK_URL, oauthStartPath: '/auth/feishu/start' }
        : null,
  })),

  /** Inside the Feishu client: exchange a `tt.requestAccess` (or `tt.requestAuthCode`) code for a session. */
  feishuLogin: publicProcedure
    .input(z.object({ code: z.string().trim().min(1, 'code: is empty').max(512) }).strict())
    .mutation(async ({ ctx, input }): Promise<UserDto> => {
      try {
        const { user, token, ttlMs } = await signInWithFeishuCode(ctx, input.code, undefined, ctx.sessionToken);
        ctx.setCookie?.(SESSION_COOKIE, token, { maxAgeMs: ttlMs });
        return toUserDto(user);
      } catch (error) {
        if (error instanceof SignInError) {
          throw new TRPCError({ code: SIGN_IN_ERROR_CODES[error.reason], message: error.message, cause: error });
        }
        throw error;
      }
    }),

  /** The signed-in user, or null. */
  me: publicProcedure.query(({ ctx }): UserDto | null => (ctx.user ? toUserDto(ctx.user) : null)),

  /**
   * Users to pick from on the dev sign-in screen (AUTH_MODE=dev only): every active user, so that
   * a database loaded only from imports and `npm run users` can be tried, not only the demo's.
   */
  demoUsers: devOnly.query(async ({ ctx }): Promise<UserDto[]> => {
    const [users, disabled] = await Promise.all([ctx.store.listUsers(), ctx.store.security.disabledUserIds()]);
    return users.filter((u) => !disabled.includes(u.id)).map(toUserDto);
  }),

  devLogin: devOnly
    .input(z.object({ userId: z.string().min(1).max(100) }).strict())
    .mutation(async ({ ctx, input }): Promise<UserDto> => {
      const user = await ctx.store.getUser(input.userId);
      // any active user (AUTH_MODE=dev is "anyone can be anyone"); a disabled one answers as unknown
      if (!user || (await ctx.store.security.disabledUserIds()).includes(user.id)) {
        throw new TRPCError({ code: 'NOT_FOUND', message: `userId: no active user "${input.userId}".` });
      }
      const ttlMs = ctx.env.SESSION_TTL_HOURS * 3_600_000;
      const token = await ctx.store.createSession(user.id, ttlMs, ctx.sessionToken);
      ctx.setCookie?.(SESSION_COOKIE, token, { maxAgeMs: ttlMs });
      return toUserDto(user);
    }),

  /**
   * Signs out everywhere: every session of the user ends, not only this browser's (a user who
   * signs out after losing a phone expects the phone to be signed out too). Signing in again
   * rotates only the signing-in browser's token, so a phone and a desktop can both stay in.
   */
  logout: publicProcedure.mutation(async ({ ctx }) => {
    if (ctx.user) await ctx.store.deleteUserSessions(ctx.user.id);
    ctx.clearCookie?.(SESSION_COOKIE);
    return { ok: true };
  }),
});
