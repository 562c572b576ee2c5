import { z } from 'zod';
import type { Job } from './queue.ts';

/** A payload its kind's schema refuses: retrying cannot help, so the job fails at once (worker.ts). */
export class BadPayload extends Error {}

/**
 * A claimed job's payload, parsed with the schema of its kind (declared where the kind is enqueued):
 * a bad one fails the job with an error saying what is wrong, instead of a handler reading garbage.
 */
export function payloadOf<S extends z.ZodType>(job: Job, schema: S): z.output<S> {
  const parsed = schema.safeParse(job.payload);
  if (parsed.success) return parsed.data;
  throw new BadPayload(`Job ${job.id} (${job.kind}) has a bad payload: ${z.prettifyError(parsed.error)}`);
}
