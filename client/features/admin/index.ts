export { AdminEntry } from './components/admin-entry.js';
export type { AdminEntryProps } from './components/admin-entry.js';
