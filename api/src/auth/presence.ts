/**
 * Who is using the api now: the members whose people (or systems) sent a request lately, by the
 * access tokens they sent. Kept in memory only: it says who is at work on this node, nothing more,
 * and the demo's simulator leaves those members' work to them.
 */
export class Presence {
  private readonly lastSeen = new Map<string, number>();

  constructor(private readonly now: () => number = () => Date.now()) {}

  saw(memberName: string): void {
    this.lastSeen.set(memberName, this.now());
  }

  /** The members someone acted as within the last `minutes`. */
  active(minutes: number): Set<string> {
    const since = this.now() - minutes * 60_000;
    return new Set([...this.lastSeen].filter(([, at]) => at >= since).map(([name]) => name));
  }
}
