import {
  type AlertDestinations,
  type AlertSettings,
  type Channel,
  type DestinationPolicy,
  emailProblem,
  slackChannelProblem,
} from '@keywatch/rules';

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
  /** Where the operator lets tenants route alerts today: settings stored before are held to it too. */
  policy: DestinationPolicy;
}

/** The routes of named destinations that this installation can send on and allows. */
function routesTo(
  named: AlertDestinations | undefined,
  { available, policy }: Pick<RoutingInput, 'available' | 'policy'>,
): Route[] {
  const can = (channel: Channel) => available.includes(channel);
  const slack =
    named?.slack && !slackChannelProblem(named.slack, policy.slackChannels) ? named.slack : undefined;
  const email = (named?.email ?? []).filter((to) => !emailProblem(to, policy.emailDomains));
  return [
    ...(slack && can('slack') ? [{ channel: 'slack' as const, to: slack }] : []),
    ...(can('email') ? email.map((to) => ({ channel: 'email' as const, to })) : []),
    ...(named?.webhook && can('webhook') ? [{ channel: 'webhook' as const, to: named.webhook }] : []),
  ];
}

/**
 * Where an alert or reminder goes: the channels of the key's (or else the org's) settings, else
 * the defaults; a personal key's owner also gets the email. Channels named but not available here
 * (or not allowed by the policy) fall back to the defaults, so that nothing is ever routed nowhere.
 */
export function routeAlert({ settings, key, available, defaults, policy }: RoutingInput): Route[] {
  let routes = routesTo(settings.channels, { available, policy });
  if (routes.length === 0) routes = defaults.map((channel) => ({ channel }));
  const ownerAllowed = key.ownerEmail && !emailProblem(key.ownerEmail, policy.emailDomains);
  if (key.type === 'personal' && key.ownerEmail && ownerAllowed && available.includes('email')) {
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
  { available, defaults, policy }: Pick<RoutingInput, 'available' | 'defaults' | 'policy'>,
): Route[] {
  const routes = routesTo(orgSettings?.channels?.security, { available, policy });
  return routes.length > 0 ? routes : defaults.map((channel) => ({ channel }));
}
