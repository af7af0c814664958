import type { AlertDestinations, AlertSettings } from '@keywatch/rules';
import type { Channel } from './index.ts';

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

/** The routes of named destinations that this installation can send on. */
function routesTo(named: AlertDestinations | undefined, available: readonly Channel[]): Route[] {
  const can = (channel: Channel) => available.includes(channel);
  return [
    ...(named?.slack && can('slack') ? [{ channel: 'slack' as const, to: named.slack }] : []),
    ...(named?.email && can('email') ? named.email.map((to) => ({ channel: 'email' as const, to })) : []),
    ...(named?.webhook && can('webhook') ? [{ channel: 'webhook' as const, to: named.webhook }] : []),
  ];
}

/**
 * Where an alert or reminder goes: the channels of the key's (or else the org's) settings, else
 * the defaults; a personal key's owner also gets the email. Channels named but not available here
 * fall back to the defaults, so that nothing is ever routed nowhere.
 */
export function routeAlert({ settings, key, available, defaults }: RoutingInput): Route[] {
  let routes = routesTo(settings.channels, available);
  if (routes.length === 0) routes = defaults.map((channel) => ({ channel }));
  if (key.type === 'personal' && key.ownerEmail && available.includes('email')) {
    const owner = key.ownerEmail.toLowerCase();
    if (!routes.some((r) => r.channel === 'email' && r.to?.toLowerCase() === owner))
      routes.push({ channel: 'email', to: key.ownerEmail });
  }
  return routes;
}

/**
 * Where an escalation goes: the org's security destinations (`alerts.channels.security` of the
 * org's settings), else the installation's defaults.
 */
export function routeEscalation(
  orgSettings: AlertSettings | null | undefined,
  { available, defaults }: Pick<RoutingInput, 'available' | 'defaults'>,
): Route[] {
  const routes = routesTo(orgSettings?.channels?.security, available);
  return routes.length > 0 ? routes : defaults.map((channel) => ({ channel }));
}
