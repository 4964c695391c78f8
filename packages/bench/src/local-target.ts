/** The `local` target: stacks run on this host, next to the load driver. */
import { acceptQueueDepth, canListen, freePort, listeningSockets } from '@stackbench/host-probe';
import { localHostFacts } from './host-facts.js';
import { launchLocal } from './local-stack.js';
import type { Target } from './target.js';

export const localTarget: Target = {
  kind: 'local',
  hostFacts: async () => localHostFacts(),
  launch: launchLocal,
  acceptQueue: acceptQueueDepth,
  listeners: listeningSockets,
  portFree: (port) => canListen(port),
  freePort: () => freePort(),
};
