import { loadConfig } from './config.ts';
import { log, setLogLevel } from './log.ts';
import { describeFailure, openDatabase } from './startup.ts';

/**
 * `npm run migrate` (built: `node dist/src/migrate.js`): applies pending migrations and exits, so a
 * deployment can migrate once before starting replicas. The server also applies them at start-up
 * (under an advisory lock), so skipping this step is safe; it only moves the wait out of the rollout.
 */
try {
  const config = loadConfig();
  setLogLevel(config.LOG_LEVEL);
  const handle = await openDatabase(config);
  await handle.close();
  log.info('migrations applied', { engine: handle.engine });
} catch (error) {
  const failure = describeFailure(error);
  log.error(failure.msg, failure.fields);
  process.exitCode = 1;
}
