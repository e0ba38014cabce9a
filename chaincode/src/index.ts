import { AssignmentContract } from './contracts/assignment.contract.js';
import { FactoryContract } from './contracts/factory.contract.js';
import { MemberContract } from './contracts/member.contract.js';
import { QuotaContract } from './contracts/quota.contract.js';
import { WorkOrderContract } from './contracts/workOrder.contract.js';

export { AssignmentContract, FactoryContract, MemberContract, QuotaContract, WorkOrderContract };
export const contracts = [
  MemberContract,
  FactoryContract,
  QuotaContract,
  WorkOrderContract,
  AssignmentContract,
];
