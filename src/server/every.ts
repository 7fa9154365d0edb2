// The background loops' common shape (the scheduler, the mailer, the webhook sender): run one round every
// `everyMs`, never two at once (a round that takes longer than the interval skips the ticks it covers), report a
// round's failure without ending the loop, and keep no process alive by the timer alone.

/** Runs `round` every `everyMs`, one at a time; returns the function that stops it. */
export function every(
  everyMs: number,
  round: () => Promise<unknown>,
  onError?: (e: unknown) => void,
): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    round()
      .catch((e) => onError?.(e))
      .finally(() => {
        running = false;
      });
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
