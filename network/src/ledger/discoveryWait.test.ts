import * as grpc from '@grpc/grpc-js';
import { GatewayError } from '@hyperledger/fabric-gateway';
import { describe, expect, it } from 'vitest';
import { isDiscoveryPending, whileDiscoveryPending } from './discoveryWait.js';

const gatewayError = (code: grpc.status, message: string) =>
  new GatewayError({
    code,
    details: [],
    cause: Object.assign(new Error(message), { code, details: message, metadata: new grpc.Metadata() }),
    message,
  });
const PENDING = gatewayError(
  grpc.status.FAILED_PRECONDITION,
  '9 FAILED_PRECONDITION: no combination of peers can be derived which satisfy the endorsement policy: no peer combination can satisfy the endorsement policy',
);

/** A clock that moves only when the wait pauses. */
function fakeTime() {
  let at = 0;
  return { now: () => at, pause: (ms: number) => Promise.resolve(void (at += ms)) };
}

describe('waiting for discovery after a start', () => {
  it('asks again while the gateway finds no peers to meet the policy, then returns the answer', async () => {
    const time = fakeTime();
    let attempts = 0;
    const answer = await whileDiscoveryPending(
      () => (++attempts < 4 ? Promise.reject(PENDING) : Promise.resolve('committed')),
      45_000,
      time.pause,
      time.now,
    );
    expect(answer).toBe('committed');
    expect(attempts).toBe(4);
    expect(time.now()).toBe(3_000);
  });

  it('gives up with the gateway’s own error once the wait is over', async () => {
    const time = fakeTime();
    await expect(
      whileDiscoveryPending(() => Promise.reject(PENDING), 5_000, time.pause, time.now),
    ).rejects.toBe(PENDING);
    expect(time.now()).toBe(5_000);
  });

  it('does not repeat anything else: a chaincode refusal or an unreachable peer comes back at once', async () => {
    for (const error of [
      gatewayError(grpc.status.ABORTED, '10 ABORTED: failed to endorse transaction, see attached details'),
      gatewayError(grpc.status.UNAVAILABLE, '14 UNAVAILABLE: connection refused'),
      new Error('no combination of peers can be derived'),
    ]) {
      const time = fakeTime();
      let attempts = 0;
      await expect(
        whileDiscoveryPending(
          () => {
            attempts += 1;
            return Promise.reject(error);
          },
          45_000,
          time.pause,
          time.now,
        ),
      ).rejects.toBe(error);
      expect(attempts).toBe(1);
      expect(isDiscoveryPending(error)).toBe(false);
    }
    expect(isDiscoveryPending(PENDING)).toBe(true);
  });
});
