/** What a platform adapter's start function receives and returns (see src/main.ts). */
import type { App } from '../app.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../core/context.ts';
import type { Lantern } from '../core/lantern.ts';
import type { HttpServer } from '../http.ts';

/** A started platform adapter. */
export interface RunningAdapter {
  name: string;
  /** stop receiving, finish in-flight work */
  stop(): Promise<void>;
}

/** Everything an adapter's start function receives. */
export interface AdapterEnv {
  app: App;
  lantern: Lantern;
  config: Config;
  log: Logger;
  http: HttpServer;
}
