// `npm run build`: compiles src/ and db/ to dist/ (tsc rewrites the .ts imports to .js), then copies
// everything else they read at run time (drizzle migrations, any static files) beside the compiled
// code, so paths relative to a module hold in dist/ as in the sources. Run with `node dist/src/main.js`.
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';

rmSync('dist', { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
for (const dir of ['src', 'db']) {
  cpSync(dir, `dist/${dir}`, { recursive: true, filter: (path) => !path.endsWith('.ts') });
}
