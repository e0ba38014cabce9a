import { AssignmentContract } from './contracts/assignment.contract.js';
import { BidContract } from './contracts/bid.contract.js';
import { CustodyContract } from './contracts/custody.contract.js';
import { FactoryContract } from './contracts/factory.contract.js';
import { GovernanceContract } from './contracts/governance.contract.js';
import { MemberContract } from './contracts/member.contract.js';
import { ProbeContract } from './contracts/probe.contract.js';
import { ProcessParametersContract } from './contracts/processParameters.contract.js';
import { ProgressContract } from './contracts/progress.contract.js';
import { QuotaContract } from './contracts/quota.contract.js';
import { RequestContract } from './contracts/request.contract.js';
import { SettlementContract } from './contracts/settlement.contract.js';
import { SupplyContract } from './contracts/supply.contract.js';
import { TraceContract } from './contracts/trace.contract.js';
import { WorkOrderContract } from './contracts/workOrder.contract.js';

export {
  AssignmentContract,
  BidContract,
  CustodyContract,
  FactoryContract,
  GovernanceContract,
  MemberContract,
  ProbeContract,
  ProcessParametersContract,
  ProgressContract,
  QuotaContract,
  RequestContract,
  SettlementContract,
  SupplyContract,
  TraceContract,
  WorkOrderContract,
};
export const contracts = [
  MemberContract,
  FactoryContract,
  QuotaContract,
  WorkOrderContract,
  AssignmentContract,
  CustodyContract,
  ProgressContract,
  SettlementContract,
  SupplyContract,
  BidContract,
  ProcessParametersContract,
  TraceContract,
  RequestContract,
  GovernanceContract,
  ProbeContract,
];
