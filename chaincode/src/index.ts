import { MemberContract } from './contracts/member.contract.js';

export { MemberContract };
export const contracts: (typeof MemberContract)[] = [MemberContract];
