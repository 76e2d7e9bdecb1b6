import { start } from './bootstrap';

/** HTTP api only (production: run several behind a load balancer). */
void start({ api: true, worker: false });
