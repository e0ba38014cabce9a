import { eventScenarios } from './events.js';
import { governanceScenarios } from './governance.js';
import { lotLifecycleScenarios } from './lotLifecycle.js';
import { ownershipScenarios } from './ownership.js';
import { poolScenarios } from './pool.js';
import { privateDataScenarios } from './privateData.js';
import { roundTripScenarios } from './roundTrip.js';
import { routingFlowScenarios } from './routingFlow.js';
import { overrunWatchScenarios } from './overrunWatch.js';
import { amendmentScenarios } from './amendments.js';
import { supplyDelayScenarios } from './supplyDelays.js';

// The conformance suite on the embedded ledger; tests/integration/conformance.test.ts runs the
// same scenarios on the Fabric network. A difference between the two is a bug in the embedded engine.
poolScenarios('embedded');
lotLifecycleScenarios('embedded');
routingFlowScenarios('embedded');
overrunWatchScenarios('embedded');
amendmentScenarios('embedded');
supplyDelayScenarios('embedded');
ownershipScenarios('embedded');
privateDataScenarios('embedded');
eventScenarios('embedded');
roundTripScenarios('embedded');
governanceScenarios('embedded');
