/**
 * One in-process signal that data changed outside a request (a job handed to the server, or a
 * command that wrote to PostgreSQL directly and told the server so). Anything in the server that
 * keeps derived data in memory subscribes here and drops it, so the open app shows the change
 * without a restart.
 */
import { EventEmitter } from 'node:events';

/** What changed, as the job that changed it names it: `import`, `users`, ... */
export type DataChange = { job: string };

const bus = new EventEmitter();
bus.setMaxListeners(100);

/** Calls `listener` after every change; returns the unsubscribe function. */
export function onDataChanged(listener: (change: DataChange) => void): () => void {
  bus.on('changed', listener);
  return () => bus.off('changed', listener);
}

export function dataChanged(change: DataChange): void {
  bus.emit('changed', change);
}
