/**
 * `npm run secrets -- rotate|status`: the key that seals third-party secrets in the database
 * (server/security/secret-box.ts). Works directly on the database, or inside a running server
 * (./channel.ts), whose key ring then changes in place.
 *
 * rotate, with the key file (no SECRET_KEY): a new key is generated; the file first holds the new
 * and the old keys, every secret is re-sealed with the new key in one transaction, then the file
 * keeps the new key only. A crash at any point leaves a file that opens every stored value.
 * rotate, with SECRET_KEY: the operator sets the new key as SECRET_KEY and the old one as
 * SECRET_KEY_PREVIOUS, restarts, and runs rotate; it re-seals every value with SECRET_KEY, after
 * which SECRET_KEY_PREVIOUS can go.
 */
import { SecretBox, keyIdOf, loadKeys, newSecretKey, writeKeyFile } from '../security/secret-box.js';
import type { IncidentStore } from '../store/types.js';
import type { JobArgs, JobProgress } from './job.js';

export const SECRETS_USAGE = `usage:
  npm run secrets -- rotate    (a new key; every stored secret re-sealed with it)
  npm run secrets -- status    (the key in use and how many secrets it seals)`;

export async function runSecretsJob(store: IncidentStore, args: JobArgs, progress: JobProgress): Promise<number> {
  const [sub, ...rest] = args.argv;
  if ((sub !== 'rotate' && sub !== 'status') || rest.length) {
    progress.err(SECRETS_USAGE);
    return 2;
  }
  const source = { dataDir: args.env.DATA_DIR, secretKey: args.env.SECRET_KEY ?? null, secretKeyPrevious: args.env.SECRET_KEY_PREVIOUS ?? null, production: args.env.NODE_ENV === 'production' };
  const { keys, from } = loadKeys(source);
  const where = from === 'env' ? 'SECRET_KEY' : `${args.env.DATA_DIR}/secret.key`;
  if (sub === 'status') {
    // read only: how many targets hold a secret (the server seals any plain one when it starts)
    const held = (await store.alerts.listTargets()).filter((t) => t.hasSecret).length;
    progress.out(`key ${keyIdOf(keys[0]!)} from ${where}${keys.length > 1 ? ` (and ${keys.length - 1} older)` : ''}; ${held} stored secret(s)`);
    return 0;
  }
  if (from === 'env') {
    store.useSecretBox(new SecretBox(keys));
    const { resealed, total } = await store.alerts.resealSecrets();
    progress.out(`re-sealed ${resealed} of ${total} stored secret(s) with SECRET_KEY (key ${keyIdOf(keys[0]!)})`);
    if (keys.length > 1) progress.out('SECRET_KEY_PREVIOUS is no longer needed: remove it and restart.');
    else progress.out('to rotate: set SECRET_KEY to a new key and SECRET_KEY_PREVIOUS to the old one, restart, and run this again.');
    return 0;
  }
  const fresh = newSecretKey();
  writeKeyFile(args.env.DATA_DIR, [fresh, ...keys]); // both: whatever happens next, every value opens
  store.useSecretBox(new SecretBox([fresh, ...keys]));
  const { resealed, total } = await store.alerts.resealSecrets();
  writeKeyFile(args.env.DATA_DIR, [fresh]);
  store.useSecretBox(new SecretBox([fresh]));
  progress.out(`new key ${keyIdOf(fresh)} in ${where}; re-sealed ${resealed} of ${total} stored secret(s) (old key ${keyIdOf(keys[0]!)} removed)`);
  return 0;
}
