import type { Channel } from '@keywatch/jobs';
import type { AlertSettings } from '@keywatch/rules';

/** One delivery: a channel, and the destination when not the channel's default. */
export interface Route {
  channel: Channel;
  to?: string;
}

export interface RoutingInput {
  settings: AlertSettings;
  key: { type: string; ownerEmail: string | null };
  /** Channels this installation can send on (a Slack token, an SMTP server…). */
  available: readonly Channel[];
  /** Where alerts go when the settings name nowhere (the env defaults). */
  defaults: readonly Channel[];
}

/**
 * Where an alert goes: the channels of the key's (or else the org's) settings, else the defaults;
 * a personal key's owner also gets the email. Channels named but not available here fall back to
 * the defaults, so that an alert is never routed nowhere.
 */
export function routeAlert({ settings, key, available, defaults }: RoutingInput): Route[] {
  const can = (channel: Channel) => available.includes(channel);
  const named = settings.channels ?? {};
  let routes: Route[] = [
    ...(named.slack && can('slack') ? [{ channel: 'slack' as const, to: named.slack }] : []),
    ...(named.email && can('email') ? named.email.map((to) => ({ channel: 'email' as const, to })) : []),
    ...(named.webhook && can('webhook') ? [{ channel: 'webhook' as const, to: named.webhook }] : []),
  ];
  if (routes.length === 0) routes = defaults.map((channel) => ({ channel }));
  if (key.type === 'personal' && key.ownerEmail && can('email')) {
    const owner = key.ownerEmail.toLowerCase();
    if (!routes.some((r) => r.channel === 'email' && r.to?.toLowerCase() === owner))
      routes.push({ channel: 'email', to: key.ownerEmail });
  }
  return routes;
}
