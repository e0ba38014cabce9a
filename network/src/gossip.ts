/**
 * How many other peers a peer knows on a channel, from its Prometheus metrics (Fabric's gossip
 * membership gauge); undefined before the peer has joined the channel's gossip.
 */
export function peersKnown(metrics: string, channel: string): number | undefined {
  const prefix = `gossip_membership_total_peers_known{channel="${channel}"}`;
  const line = metrics.split('\n').find((l) => l.startsWith(`${prefix} `));
  if (line === undefined) return undefined;
  const value = Number(line.slice(prefix.length).trim());
  return Number.isFinite(value) ? value : undefined;
}
