import { start } from './bootstrap';

/** Queue workers only: outbox relay, sweeps, BullMQ processors (run as many as needed). */
void start({ api: false, worker: true });
