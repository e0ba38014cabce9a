import type { Context } from 'fabric-contract-api';
import { memberFromJson, type Member } from '../model/member.js';
import { marshal } from '../model/marshal.js';

const MEMBER_KEY_TYPE = 'member';

export class MemberStore {
  constructor(private readonly ctx: Context) {}

  async get(memberId: string): Promise<Member | undefined> {
    const bytes = await this.ctx.stub.getState(this.key(memberId));
    if (bytes.length === 0) return undefined;
    return memberFromJson(Buffer.from(bytes).toString('utf8'));
  }

  async put(member: Member): Promise<void> {
    await this.ctx.stub.putState(this.key(member.memberId), marshal(member));
  }

  async list(): Promise<Member[]> {
    const members: Member[] = [];
    const iterator = await this.ctx.stub.getStateByPartialCompositeKey(MEMBER_KEY_TYPE, []);
    try {
      for (let result = await iterator.next(); !result.done; result = await iterator.next()) {
        members.push(memberFromJson(Buffer.from(result.value.value).toString('utf8')));
      }
    } finally {
      await iterator.close();
    }
    return members;
  }

  private key(memberId: string): string {
    return this.ctx.stub.createCompositeKey(MEMBER_KEY_TYPE, [memberId]);
  }
}
