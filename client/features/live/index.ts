export { useLiveUpdates } from './api/use-live-updates.js';
export type { LiveUpdates, Pulse } from './api/use-live-updates.js';
export { LiveBadge } from './components/live-badge.js';
export type { LiveBadgeProps } from './components/live-badge.js';
