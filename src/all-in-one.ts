import { start } from './bootstrap';

/** HTTP api and queue workers in one process: what `npm start` runs for a newcomer. */
void start({ api: true, worker: true });
