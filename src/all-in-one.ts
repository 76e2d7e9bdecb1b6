import { start } from './bootstrap';

/**
 * What `npm start` runs for a newcomer: one process, the HTTP api on its main thread and the queue
 * workers in a thread of their own (src/queue/workers-thread.ts).
 */
void start({ api: true, worker: 'thread' });
