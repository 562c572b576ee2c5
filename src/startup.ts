import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import { resolve } from 'node:path';
import { DatabaseConnectError, type DbHandle, openDb } from '../db/client.ts';
import { DataDirLockedError } from '../db/data-dir-lock.ts';
import { type Config, ConfigError } from './config.ts';

/**
 * Start-up checks that fail with a message naming what to fix (the variable, the address, the
 * directory), so a bad deployment is one JSON log line and a non-zero exit, never a stack trace.
 */
export class StartupError extends Error {
  constructor(
    message: string,
    /** The environment variable to fix. */
    readonly variable: string,
  ) {
    super(message);
  }
}

/** The database of the configuration, migrated; a failure names DATABASE_URL or DATA_DIR. */
export async function openDatabase(config: Config): Promise<DbHandle> {
  if (config.DATABASE_URL) {
    try {
      return await openDb({ databaseUrl: config.DATABASE_URL });
    } catch (error) {
      if (error instanceof DatabaseConnectError) throw new StartupError(error.message, 'DATABASE_URL');
      throw error;
    }
  }
  const dir = resolve(config.DATA_DIR);
  usableDirectory(dir);
  try {
    return await openDb({ dataDir: dir });
  } catch (error) {
    if (error instanceof DataDirLockedError) throw new StartupError(error.message, 'DATA_DIR');
    const reason = error instanceof Error ? error.message : String(error);
    throw new StartupError(
      `DATA_DIR: the embedded database in ${dir} could not be opened: ${reason}`,
      'DATA_DIR',
    );
  }
}

/** PGlite reports an unwritable or non-directory path only deep inside its start; this says which. */
function usableDirectory(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    accessSync(dir, constants.R_OK | constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    const why =
      code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
        ? 'is not writable by this user'
        : code === 'ENOTDIR' || code === 'EEXIST'
          ? 'is not a directory'
          : `cannot be used (${code})`;
    throw new StartupError(`DATA_DIR: ${dir} ${why}`, 'DATA_DIR');
  }
}

/** Listens on HOST:PORT (or another pair, named by `variables`); a busy port or a bad address rejects. */
export function listen(
  server: Server,
  port: number,
  host: string,
  variables: { port: string; host: string } = { port: 'PORT', host: 'HOST' },
): Promise<number> {
  return new Promise((done, fail) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      const where = `${host}:${port}`;
      if (error.code === 'EADDRINUSE') {
        fail(
          new StartupError(
            `${variables.port}: ${where} is already in use by another process`,
            variables.port,
          ),
        );
      } else if (error.code === 'EACCES') {
        fail(
          new StartupError(`${variables.port}: ${where} needs privileges this user lacks`, variables.port),
        );
      } else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN') {
        fail(
          new StartupError(`${variables.host}: ${host} is not an address of this machine`, variables.host),
        );
      } else {
        fail(
          new StartupError(`${variables.port}: cannot listen on ${where}: ${error.message}`, variables.port),
        );
      }
    };
    const onListening = () => {
      server.off('error', onError);
      const address = server.address();
      done(typeof address === 'object' && address ? address.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** The one line a failed start-up leaves: what is wrong and which variable to fix. */
export function describeFailure(error: unknown): { msg: string; fields: Record<string, unknown> } {
  if (error instanceof StartupError) return { msg: error.message, fields: { variable: error.variable } };
  if (error instanceof ConfigError) return { msg: error.message, fields: {} };
  return {
    msg: `start-up failed: ${error instanceof Error ? error.message : String(error)}`,
    fields: { error: error instanceof Error ? error.stack : String(error) },
  };
}
