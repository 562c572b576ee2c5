import { afterAll, beforeAll, beforeEach } from 'vitest';
import { openTestDb, type TestDb } from './db.ts';
import { makeWorld, type World } from './world.ts';

/*
 * The setup most test files share, as vitest hooks (useApi and useSlackHarness sit beside what they
 * start, so a function test does not load the servers). Each helper registers its hooks and returns
 * objects that the hooks fill in place (Object.assign), so a test file keeps writing plain `db.…`,
 * `w.…`, `h.…` or `api.…`. The objects are empty until their hook has run: read them only inside
 * hooks and tests.
 */

/** A fresh migrated database for this test file, closed after its last test. */
export function useTestDb(): TestDb {
  const db = {} as TestDb;
  beforeAll(async () => {
    Object.assign(db, await openTestDb());
  });
  afterAll(() => db.close());
  return db;
}

/** The function-test world (makeWorld) on an emptied database before each test. */
export function useTestWorld() {
  const db = useTestDb();
  const w = {} as World;
  beforeEach(async () => {
    await db.reset();
    Object.assign(w, await makeWorld(db.db));
  });
  return { db, w };
}
