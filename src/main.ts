import type { Server } from 'node:http';
import { DataDirLockedError, openDb } from '../db/client.ts';
import { createApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { log, setLogLevel } from './log.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  setLogLevel(config.LOG_LEVEL);
  const handle = await openDb(
    config.DATABASE_URL ? { databaseUrl: config.DATABASE_URL } : { dataDir: config.DATA_DIR },
  );
  log.info('database ready', {
    engine: handle.engine,
    ...(handle.engine === 'pglite' ? { dataDir: config.DATA_DIR } : {}),
  });
  const deps = { db: handle.db, now: () => new Date(), settings: { lockMinutes: config.LOCK_MINUTES } };
  const app = createApp(deps);
  const server: Server = app.listen(config.PORT, config.HOST, () => {
    log.info('listening', { port: config.PORT, host: config.HOST });
  });
  const stop = async (signal: string) => {
    log.info('stopping', { signal });
    server.close();
    await handle.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DataDirLockedError) {
    log.error(error.message);
  } else {
    log.error('start-up failed', { error: error instanceof Error ? error.stack : String(error) });
  }
  process.exit(1);
});
