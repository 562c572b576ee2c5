import { DIGEST_POST, DIGEST_REFRESH, digestPostHandler, digestRefreshHandler } from './digest.ts';
import { ONCALL_PAGE, ONCALL_TAKEN, oncallPageHandler, oncallTakenHandler } from './oncall.ts';
import { SLA_WARNING, slaWarningHandler } from './sla.ts';
import type { Slack } from './slack-out.ts';
import type { JobHandler } from './worker.ts';

/** The job kinds of scheduled work, to merge with the Slack card jobs into the one worker. */
export function scheduleJobHandlers(slack: Slack): Record<string, JobHandler> {
  return {
    [SLA_WARNING]: slaWarningHandler(slack),
    [ONCALL_PAGE]: oncallPageHandler(slack),
    [ONCALL_TAKEN]: oncallTakenHandler(slack),
    [DIGEST_POST]: digestPostHandler(slack),
    [DIGEST_REFRESH]: digestRefreshHandler(slack),
  };
}
