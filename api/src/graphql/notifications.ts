import { randomBytes } from 'node:crypto';
import {
  CHANNELS,
  checkTarget,
  NOTIFICATION_KINDS,
  type Channel,
  type NotificationKind,
} from '../notifications/notification.js';
import {
  deliveriesOf,
  insertSubscription,
  revokeSubscription,
  subscriptionsOf,
  type Delivery,
  type Subscription,
} from '../repositories/notifications.js';
import { secretBoxOf } from '../secrets/secretBox.js';
import type { ApiBuilder } from './builder.js';
import { pagedList } from './connections.js';
import { callerOf, coded, viewpointOf, type ApiContext } from './context.js';

const SUBSCRIBERS = ['factory', 'customer', 'operator', 'auditor'] as const;

/**
 * Notifications outside the app: a member subscribes its partner system's webhook or an e-mail
 * address to kinds of event, and reads the delivery log of its subscriptions.
 */
export function addNotificationFields(builder: ApiBuilder): void {
  const KindType = builder.enumType('NotificationKind', {
    description:
      'ALERT: an alert (overrun, frozen operation, supplier delay…); ESCALATION: an exception climbed a level; ASSIGNMENT: a lot assigned to your plant; SETTLEMENT: a settlement due or paid.',
    values: NOTIFICATION_KINDS,
  });
  const ChannelType = builder.enumType('NotificationChannel', { values: CHANNELS });
  const SubscriptionType = builder.objectRef<Subscription>('NotificationSubscription').implement({
    description: 'Where notifications of some kinds go: a webhook or an e-mail address.',
    fields: (t) => ({
      id: t.exposeInt('id'),
      channel: t.field({ type: ChannelType, resolve: (s) => s.channel }),
      target: t.exposeString('target'),
      eventKinds: t.field({ type: [KindType], resolve: (s) => s.eventKinds }),
      createdAt: t.exposeString('createdAt'),
    }),
  });
  const DeliveryType = builder.objectRef<Delivery>('NotificationDelivery').implement({
    description: 'One notification to one subscription, with every attempt counted.',
    fields: (t) => ({
      id: t.exposeInt('id'),
      subscriptionId: t.exposeInt('subscriptionId'),
      channel: t.field({ type: ChannelType, resolve: (d) => d.channel }),
      target: t.exposeString('target'),
      eventKind: t.field({ type: KindType, resolve: (d) => d.eventKind }),
      subject: t.exposeString('subject'),
      status: t.exposeString('status', {
        description: 'PENDING (to be tried again), DELIVERED or FAILED (given up).',
      }),
      attempts: t.exposeInt('attempts'),
      nextAttemptAt: t.exposeString('nextAttemptAt'),
      lastError: t.exposeString('lastError', { nullable: true }),
      deliveredAt: t.exposeString('deliveredAt', { nullable: true }),
      createdAt: t.exposeString('createdAt'),
    }),
  });
  const SubscribedType = builder
    .objectRef<{ subscription: Subscription; secret: string | null }>('NotificationSubscribed')
    .implement({
      fields: (t) => ({
        subscription: t.field({ type: SubscriptionType, resolve: (s) => s.subscription }),
        secret: t.exposeString('secret', {
          nullable: true,
          description:
            "A webhook's signing key, shown this once: each delivery carries X-Fabpool-Signature: sha256=<HMAC-SHA256 of the body with it>.",
        }),
      }),
    });

  const subscribe = async (
    context: ApiContext,
    channel: Channel,
    target: string,
    kinds: NotificationKind[],
  ) => {
    const problem = checkTarget(channel, target);
    if (problem !== undefined) throw coded('REQUEST.INVALID_ARGUMENT', problem);
    if (kinds.length === 0) throw coded('REQUEST.INVALID_ARGUMENT', 'name at least one kind of event');
    if (channel === 'EMAIL' && !context.notifications.sendsEmail)
      throw coded(
        'NOTIFICATION.NO_SMTP',
        'this node has no SMTP server configured (FABPOOL_SMTP_URL): e-mail cannot be sent',
      );
    const viewer = viewpointOf(context);
    const secret = channel === 'WEBHOOK' ? randomBytes(32).toString('base64url') : null;
    const subscription = await insertSubscription(context.pool, {
      memberId: viewer.memberId,
      role: viewer.role,
      mspId: viewer.mspId,
      channel,
      target,
      eventKinds: [...new Set(kinds)],
      secret: secret === null ? null : secretBoxOf(context.pool).seal(secret),
    });
    return { subscription, secret };
  };

  builder.mutationFields((t) => ({
    subscribeWebhook: t.field({
      type: SubscribedType,
      description:
        'Sends the kinds of event named, as you may see them, to a webhook of your partner system.',
      authScopes: { role: [...SUBSCRIBERS] },
      args: {
        url: t.arg.string({ required: true }),
        eventKinds: t.arg({ type: [KindType], required: true }),
      },
      resolve: (_r, args, context) => subscribe(context, 'WEBHOOK', args.url, args.eventKinds),
    }),
    subscribeEmail: t.field({
      type: SubscribedType,
      description: 'Sends the kinds of event named, as you may see them, by e-mail.',
      authScopes: { role: [...SUBSCRIBERS] },
      args: {
        address: t.arg.string({ required: true }),
        eventKinds: t.arg({ type: [KindType], required: true }),
      },
      resolve: (_r, args, context) => subscribe(context, 'EMAIL', args.address, args.eventKinds),
    }),
    unsubscribe: t.boolean({
      description: 'Ends one of your subscriptions; false when you have none of that id.',
      authScopes: { role: [...SUBSCRIBERS] },
      args: { id: t.arg.int({ required: true }) },
      resolve: (_r, { id }, context) => revokeSubscription(context.pool, id, callerOf(context).memberId),
    }),
  }));
  builder.queryFields((t) => ({
    notificationSubscriptions: t.field({
      type: [SubscriptionType],
      description: 'Your subscriptions in force.',
      authScopes: { role: [...SUBSCRIBERS] },
      resolve: (_r, _a, context) => subscriptionsOf(context.pool, callerOf(context).memberId),
    }),
    notificationDeliveries: t.connection({
      type: DeliveryType,
      description: 'The delivery log of your subscriptions, newest first.',
      authScopes: { role: [...SUBSCRIBERS] },
      resolve: (_r, args, context) =>
        pagedList(args, (page) => deliveriesOf(context.pool, callerOf(context).memberId, page)),
    }),
  }));
}
