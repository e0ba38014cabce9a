import { describe, expect, it } from 'vitest';
import { peersKnown } from './gossip.js';

const METRICS = `# HELP gossip_membership_total_peers_known Total known peers
# TYPE gossip_membership_total_peers_known gauge
gossip_membership_total_peers_known{channel="alliance"} 4
gossip_membership_total_peers_known{channel="other"} 1
gossip_state_height{channel="alliance"} 17
`;

describe('gossip membership from a peer’s metrics', () => {
  it('reads how many peers it knows on the channel', () => {
    expect(peersKnown(METRICS, 'alliance')).toBe(4);
    expect(peersKnown(METRICS, 'other')).toBe(1);
  });

  it('knows nothing of a channel it has not joined', () => {
    expect(peersKnown(METRICS, 'missing')).toBeUndefined();
    expect(peersKnown('', 'alliance')).toBeUndefined();
  });
});
