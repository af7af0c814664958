import { type Db, webhookSigningSecrets } from '@keywatch/db';
import { type DeliverJob, enqueueDelivery } from '@keywatch/jobs';
import { routeAlert } from '@keywatch/notify';
import { type Channel, type DestinationPolicy, decide } from '@keywatch/rules';
import type { Queue } from 'bullmq';
import { recordAlert, resolveAlerts } from './alerts-repository.ts';
import { type BaselineCache, loadKeyFacts } from './key-facts.ts';

export interface EvaluateDeps {
  db: Db;
  deliver: Queue<DeliverJob>;
  /** Where alerts go when their settings name nowhere. */
  channels: readonly Channel[];
  /** The channels this alerter can send on. */
  available: readonly Channel[];
  /** Where the operator lets tenants route alerts. */
  policy: DestinationPolicy;
  /** Baselines learned earlier this hour (a fresh cache learns them again). */
  baselines?: BaselineCache;
  now: Date;
}

/**
 * One key's rules: load the facts, let the pure `decide` rule, then record each alert once per
 * (key, rule, subject, window), resolve what cleared, and queue the deliveries. Safe to run again
 * at any point: the unique index and the delivery job ids make every step idempotent.
 */
export async function evaluateKey(
  keyId: string,
  { db, deliver, channels, available, policy, baselines, now }: EvaluateDeps,
) {
  const loaded = await loadKeyFacts(db, keyId, now, baselines);
  if (!loaded) return { firing: [] as string[], resolved: [] as string[] };
  const { key, settings, facts } = loaded;
  const { fire, resolve } = decide(facts, now);

  // An org that named a webhook but never created its signing secret cannot be sent to there:
  // its alerts take the other routes, or the defaults, rather than reaching no one.
  const signs = !settings.channels?.webhook || (await webhookSigningSecrets(db, key.orgId, now)).length > 0;
  const routes = routeAlert({
    settings,
    key,
    available: signs ? available : available.filter((c) => c !== 'webhook'),
    defaults: channels,
    policy,
  });
  const resolved = await resolveAlerts(db, resolve, now);
  for (const { id } of resolve.filter((r) => r.notify && resolved.includes(r.id)))
    for (const route of routes)
      await enqueueDelivery(deliver, { kind: 'resolution', alertId: id, orgId: key.orgId, ...route });
  const firing: string[] = [];
  for (const decision of fire) {
    const alertId = await recordAlert(db, keyId, key.orgId, decision);
    // Queued on every evaluation while firing, so a crash after the insert still gets it delivered;
    // the job id (and the delivery record) keep it to one message per channel.
    for (const route of routes)
      await enqueueDelivery(deliver, { kind: 'alert', alertId, orgId: key.orgId, ...route });
    firing.push(alertId);
  }
  return { firing, resolved };
}
