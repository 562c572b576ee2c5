import { setLogLevel } from '../../src/log.ts';

// Tests assert refusals, retries and failures; printing them would bury the runner's report.
// Tests of the log itself run the real server in a child process (test/ops/) and read its stderr.
setLogLevel('silent');
