import type { Capacity } from '../model/capacity.js';
import { ChaincodeError, ErrorCode } from '../model/errors.js';
import type { Factory } from '../model/factory.js';
import type { Member } from '../model/member.js';
import type { DeclareCapacityRequest, RegisterFactoryRequest } from '../model/requests.js';
import { requireOrg, requireRole } from './access.js';

/** A factory member registers a plant of its own organisation. */
export function registerFactory(
  member: Member,
  existing: Factory | undefined,
  request: RegisterFactoryRequest,
  now: string,
): Factory {
  requireRole(member, 'factory');
  if (existing !== undefined) {
    throw new ChaincodeError(ErrorCode.FACTORY_ALREADY_EXISTS, `factory ${request.factoryId} already exists`);
  }
  const processes = [...request.processes].sort((a, b) => (a.process < b.process ? -1 : 1));
  if (new Set(processes.map((p) => p.process)).size !== processes.length) {
    throw new ChaincodeError(ErrorCode.INVALID_ARGUMENT, '/processes lists a process twice');
  }
  return {
    factoryId: request.factoryId,
    mspId: member.mspId,
    name: request.name,
    location: request.location,
    processes,
    registeredBy: member.memberId,
    createdAt: now,
    updatedAt: now,
  };
}

export function capacityId(c: Pick<Capacity, 'factoryId' | 'process' | 'bucket'>): string {
  return `${c.factoryId}/${c.process}/${c.bucket}`;
}

/**
 * The factory's own members set the minutes it offers per process and bucket. A declaration may
 * shrink, but never below the minutes lots already hold.
 */
export function declareCapacity(
  member: Member,
  factory: Factory,
  existing: ReadonlyMap<string, Capacity>,
  request: DeclareCapacityRequest,
  now: string,
): Capacity[] {
  requireRole(member, 'factory');
  requireOrg(member, factory.mspId, `factory ${factory.factoryId}`);
  const seen = new Set<string>();
  return request.entries.map((entry, i) => {
    if (!factory.processes.some((p) => p.process === entry.process)) {
      throw new ChaincodeError(
        ErrorCode.PROCESS_NOT_OFFERED,
        `/entries/${i}/process ${entry.process} is not offered by ${factory.factoryId}`,
      );
    }
    const id = capacityId({ factoryId: factory.factoryId, ...entry });
    if (seen.has(id))
      throw new ChaincodeError(ErrorCode.INVALID_ARGUMENT, `/entries/${i} declares ${id} twice`);
    seen.add(id);
    const assigned = existing.get(id)?.assignedMinutes ?? 0;
    if (entry.minutes < assigned) {
      throw new ChaincodeError(
        ErrorCode.CAPACITY_BELOW_ASSIGNED,
        `/entries/${i}/minutes ${entry.minutes} is below the ${assigned} minutes lots already hold in ${id}`,
      );
    }
    return {
      factoryId: factory.factoryId,
      process: entry.process,
      bucket: entry.bucket,
      declaredMinutes: entry.minutes,
      assignedMinutes: assigned,
      updatedAt: now,
    };
  });
}
