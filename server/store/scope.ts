import type { Scope, User } from './types.js';

/** Admins and analysts see every store; store managers and viewers only their own. */
export function scopeForUser(user: Pick<User, 'role' | 'storeIds'>): Scope {
  if (user.role === 'admin' || user.role === 'analyst') return { all: true };
  return { all: false, storeIds: [...user.storeIds] };
}
