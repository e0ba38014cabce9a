/** A failure of the network scripts, with the one thing the person should do about it. */
export class NetworkError extends Error {
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(`${message}\n  fix: ${fix}`);
    this.name = 'NetworkError';
  }
}
