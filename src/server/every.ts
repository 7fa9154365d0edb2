// The background loops' common shape (the scheduler, the mailer, the webhook sender): run one round every
// `everyMs`, never two at once (a round that takes longer than the interval skips the ticks it covers), report a
// round's failure without ending the loop, and keep no process alive by the timer alone.

/**
 * Runs `round` every `everyMs`, one at a time; returns the function that stops it, whose promise settles once the
 * round running when it was called (if any) has ended, so that what a server does on stopping (its final
 * checkpoints) never runs beside a last round doing the same. The round is given a signal that is aborted when the
 * stop is asked: a round that works through a backlog checks it between its batches and cuts its waits short, so
 * a stop does not wait for the whole backlog (which stays queued for the next start).
 */
export function every(
  everyMs: number,
  round: (stopping: AbortSignal) => Promise<unknown>,
  onError?: (e: unknown) => void,
): () => Promise<void> {
  let running: Promise<void> | null = null;
  const stopping = new AbortController();
  const timer = setInterval(() => {
    if (running) return;
    running = round(stopping.signal)
      .then(
        () => undefined,
        (e: unknown) => onError?.(e),
      )
      .finally(() => {
        running = null;
      });
  }, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    stopping.abort();
    await running;
  };
}
