import { seesAllStores } from '../domain/incident.js';
import type { Scope, User } from './types.js';

/** Admins and analysts see every store; store managers and viewers only their own (seesAllStores). */
export function scopeForUser(user: Pick<User, 'role' | 'storeIds'>): Scope {
  if (seesAllStores(user.role)) return { all: true };
  return { all: false, storeIds: [...user.storeIds] };
}
