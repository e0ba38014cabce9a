/**
 * On Ctrl-C or SIGTERM, runs `close` (what the command started, in order) and exits: 0 when it
 * closed cleanly, 1 when it did not.
 */
export function stopOnSignals(close: () => Promise<unknown>, log?: (line: string) => void): void {
  const stop = (): void => {
    log?.('Stopping…');
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
