import { CommandError, run } from './exec.js';
import { NetworkError } from './errors.js';
import { memberOrgs, privateSubnet, type Topology } from './topology.js';

/**
 * The private link between the organisations' nodes when each runs in its own Linux network
 * namespace, as separate hosts would: a bridge in the host's namespace (the link's first address,
 * through which this host's tools and tests reach the nodes), and per node a namespace with a veth
 * pair, its own address and a route over the link. Pure description; `ensureNamespaces` applies it.
 */
export interface NamespacePlan {
  bridge: { name: string; address: string };
  nodes: { netns: string; address: string; hostSide: string }[];
}

export function namespacePlan(topology: Topology): NamespacePlan | undefined {
  const placed = [topology.ordererOrg, ...memberOrgs(topology)].filter(
    (o): o is typeof o & { netns: string } => o.netns !== undefined,
  );
  if (placed.length === 0) return undefined;
  const tag = String(Math.floor(topology.portBase / 1000));
  return {
    bridge: { name: `fabpool${tag}`, address: `${privateSubnet(topology.portBase)}.1` },
    nodes: placed.map((o) => ({
      netns: o.netns,
      address: o.host,
      // Interface names have at most 15 characters: the host side is named by the address's last byte.
      hostSide: `fp${tag}v${o.host.split('.').pop() ?? ''}`,
    })),
  };
}

const ip = (args: string[]) => run('ip', args);

async function exists(args: string[]): Promise<boolean> {
  try {
    await ip(args);
    return true;
  } catch (error) {
    if (error instanceof CommandError) return false;
    throw error;
  }
}

/** Creates what is missing of the plan (after a reboot, all of it); leaves what exists alone. */
export async function ensureNamespaces(plan: NamespacePlan): Promise<void> {
  try {
    const { bridge } = plan;
    if (!(await exists(['link', 'show', bridge.name]))) {
      await ip(['link', 'add', bridge.name, 'type', 'bridge']);
      await ip(['addr', 'add', `${bridge.address}/24`, 'dev', bridge.name]);
    }
    await ip(['link', 'set', bridge.name, 'up']);
    const namespaces = (await ip(['netns', 'list'])).stdout;
    for (const node of plan.nodes) {
      if (!namespaces.split('\n').some((line) => line.split(' ')[0] === node.netns)) {
        await ip(['netns', 'add', node.netns]);
      }
      const inNode = (args: string[]) => ip(['netns', 'exec', node.netns, 'ip', ...args]);
      if (!(await exists(['link', 'show', node.hostSide]))) {
        await ip(['link', 'add', node.hostSide, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', node.netns]);
        await ip(['link', 'set', node.hostSide, 'master', bridge.name]);
        await inNode(['addr', 'add', `${node.address}/24`, 'dev', 'eth0']);
      }
      await ip(['link', 'set', node.hostSide, 'up']);
      await inNode(['link', 'set', 'lo', 'up']);
      await inNode(['link', 'set', 'eth0', 'up']);
      if (!(await inNode(['route', 'show', 'default'])).stdout.includes('default'))
        await inNode(['route', 'add', 'default', 'via', bridge.address]);
    }
  } catch (error) {
    throw new NetworkError(
      `could not set up the nodes' network namespaces: ${error instanceof Error ? error.message : String(error)}`,
      'namespaces need root (ip netns); or run the network without them',
    );
  }
}

/** Removes the plan's namespaces and bridge (their processes must be stopped first). */
export async function removeNamespaces(plan: NamespacePlan): Promise<void> {
  for (const node of plan.nodes) {
    await ip(['netns', 'del', node.netns]).catch(() => undefined);
    await ip(['link', 'del', node.hostSide]).catch(() => undefined);
  }
  await ip(['link', 'del', plan.bridge.name]).catch(() => undefined);
}
