import { DIGEST_POST, DIGEST_REFRESH } from '../../functions/planners/digest.ts';
import { ONCALL_PAGE, ONCALL_SETTLED } from '../../functions/planners/oncall.ts';
import { SLA_WARNING } from '../../functions/planners/sla.ts';
import type { JobHandler } from '../../jobs/worker.ts';
import type { JobSlack } from '../job-client.ts';
import { digestPostHandler, digestRefreshHandler } from './digest.ts';
import { oncallPageHandler, oncallSettledHandler } from './oncall.ts';
import { slaWarningHandler } from './sla-warning.ts';
import { alertWhenUndeliverable, UNDELIVERED, undeliveredHandler } from './undelivered.ts';

/** The job kinds of scheduled work (planned in src/functions/planners), merged with the card jobs into the one worker. */
export function scheduledJobHandlers(slack: JobSlack): Record<string, JobHandler> {
  return {
    [SLA_WARNING]: alertWhenUndeliverable(slaWarningHandler(slack)),
    [ONCALL_PAGE]: alertWhenUndeliverable(oncallPageHandler(slack)),
    [DIGEST_POST]: alertWhenUndeliverable(digestPostHandler(slack)),
    [ONCALL_SETTLED]: oncallSettledHandler(slack),
    [DIGEST_REFRESH]: digestRefreshHandler(slack),
    [UNDELIVERED]: undeliveredHandler(slack),
  };
}

/** Without Slack there is nobody to warn: the jobs complete without effect instead of piling up as failed. */
export function scheduledJobsWithoutSlack(): Record<string, JobHandler> {
  const done: JobHandler = async () => {};
  const kinds = [SLA_WARNING, ONCALL_PAGE, ONCALL_SETTLED, DIGEST_POST, DIGEST_REFRESH, UNDELIVERED];
  return Object.fromEntries(kinds.map((k) => [k, done]));
}
