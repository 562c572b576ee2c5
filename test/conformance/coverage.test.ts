import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { registry } from '../../src/functions/registry.ts';
import { SPEC_FUNCTIONS } from './spec.ts';

it('every function of the spec is served and has its conformance file here', () => {
  expect(SPEC_FUNCTIONS).toHaveLength(17);
  for (const name of SPEC_FUNCTIONS) {
    expect(Object.hasOwn(registry, name), name).toBe(true);
    expect(existsSync(join(import.meta.dirname, `${name}.test.ts`)), name).toBe(true);
  }
});
