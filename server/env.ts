/**
 * Configuration, parsed once at import with zod. A bad value stops the start with one clear line.
 */
import { z } from 'zod';

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    DATA_DIR: z.string().min(1).default('./var'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL (leave unset for the embedded DuckDB)')
      .optional(),
    DEMO_DATA: z.enum(['small', 'default', 'large', 'huge', 'none']).default('default'),
    AUTH_MODE: z.enum(['dev', 'feishu']).optional(),
    /** Hours a session cookie stays valid. */
    SESSION_TTL_HOURS: z.coerce.number().min(0.1).max(24 * 90).default(24 * 7),
  })
  .transform((env, ctx) => {
    // dev sign-in lets anyone pick any demo user: production must ask for it explicitly.
    let authMode = env.AUTH_MODE;
    if (!authMode) {
      if (env.NODE_ENV === 'production') {
        ctx.addIssue({
          code: 'custom',
          path: ['AUTH_MODE'],
          message: 'is required when NODE_ENV=production (feishu, or dev to allow demo sign-in)',
        });
        return z.NEVER;
      }
      authMode = 'dev';
    }
    return { ...env, AUTH_MODE: authMode };
  });

export type Env = z.infer<typeof EnvSchema>;

/** Parses an environment; throws an Error whose message is one line per bad variable. */
export function parseEnv(source: NodeJS.ProcessEnv): Env {
  const result = EnvSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${i.path.join('.') || 'environment'} ${i.message}`);
    throw new Error(`Invalid configuration: ${lines.join('; ')}`);
  }
  return result.data;
}

/** Warnings worth printing at start (not errors). */
export function envWarnings(env: Env): string[] {
  const warnings: string[] = [];
  if (env.NODE_ENV === 'production' && env.AUTH_MODE === 'dev') {
    warnings.push('AUTH_MODE=dev in production: anyone can sign in as any demo user.');
  }
  return warnings;
}
