import type { Config } from '@keywatch/config';
import { type Channel, destinationPolicy } from '@keywatch/rules';

type ChannelConfig = Pick<
  Config,
  | 'SLACK_BOT_TOKEN'
  | 'SLACK_CHANNEL'
  | 'SMTP_URL'
  | 'ALERT_EMAIL_TO'
  | 'ALERT_SLACK_CHANNELS_ALLOWED'
  | 'ALERT_EMAIL_DOMAINS_ALLOWED'
>;

/** The channels this installation can send on: what its env configures, and always the log. */
export function availableChannels(config: ChannelConfig): Channel[] {
  // Webhooks are always available (each org signs with its own secret) and go only where settings
  // name a URL, so they are never a default channel.
  const channels: Channel[] = ['log', 'webhook'];
  if (config.SLACK_BOT_TOKEN && config.SLACK_CHANNEL) channels.push('slack');
  if (config.SMTP_URL && config.ALERT_EMAIL_TO) channels.push('email');
  return channels;
}

/** The channels notifications take by default: Slack and email where configured, else the log. */
export function defaultChannels(config: ChannelConfig): Channel[] {
  const channels = availableChannels(config).filter((c) => c === 'slack' || c === 'email');
  return channels.length > 0 ? channels : ['log'];
}

/** What routing needs to know of the installation: its channels and where tenants may route. */
export const installationChannels = (config: ChannelConfig) => ({
  available: availableChannels(config),
  defaults: defaultChannels(config),
  policy: destinationPolicy(config),
});
