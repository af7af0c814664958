/**
 * Where the operator lets tenants route alerts (`ALERT_SLACK_CHANNELS_ALLOWED`,
 * `ALERT_EMAIL_DOMAINS_ALLOWED`). A missing list allows any channel or domain.
 */
export interface DestinationPolicy {
  /** Channel names (`#security`) and ids (`C0123ABCD`). */
  slackChannels?: readonly string[];
  /** Domains (`example.com`) and subdomain patterns (`*.example.com`). */
  emailDomains?: readonly string[];
}

/** The policy the environment sets (the parsed `ALERT_*_ALLOWED` variables). */
export const destinationPolicy = (env: {
  ALERT_SLACK_CHANNELS_ALLOWED?: readonly string[];
  ALERT_EMAIL_DOMAINS_ALLOWED?: readonly string[];
}): DestinationPolicy => ({
  slackChannels: env.ALERT_SLACK_CHANNELS_ALLOWED,
  emailDomains: env.ALERT_EMAIL_DOMAINS_ALLOWED,
});

// Slack ids: C… public and G… private channels; U…/W… users and D… direct messages are people.
const SLACK_ID = /^[CGDUW][A-Z0-9]{6,}$/;
const SLACK_NAME = /^[a-z0-9][a-z0-9._-]{0,79}$/;

/** A Slack destination as one comparable string: an id as is, a name lower-cased with its `#`. */
export function slackChannelKey(channel: string): string | undefined {
  const value = channel.trim();
  if (SLACK_ID.test(value)) return value;
  const name = value.replace(/^#/, '').toLowerCase();
  return SLACK_NAME.test(name) ? `#${name}` : undefined;
}

/**
 * Why a tenant may not post to this Slack destination, or undefined. A person (`@name`, a user or
 * DM id) is always refused: a tenant never messages a workspace member through the bot.
 */
export function slackChannelProblem(channel: string, allowed?: readonly string[]): string | undefined {
  const key = slackChannelKey(channel);
  if (channel.trim().startsWith('@') || (key && /^[DUW]/.test(key))) {
    return 'must be a channel, not a person or direct message';
  }
  if (!key) return 'must be a channel name like #security or a channel id like C0123ABCD';
  if (allowed && !allowed.some((a) => slackChannelKey(a) === key))
    return 'is not a channel this installation allows';
  return undefined;
}

/** Whether a domain is `pattern` (`example.com`) or under it (`*.example.com`). */
export function domainMatches(domain: string, pattern: string): boolean {
  const d = domain.toLowerCase();
  const p = pattern.toLowerCase();
  return p.startsWith('*.') ? d.endsWith(p.slice(1)) : d === p;
}

/** Why a tenant may not send email to this address, or undefined. */
export function emailProblem(address: string, allowedDomains?: readonly string[]): string | undefined {
  if (!allowedDomains) return undefined;
  const domain = address.slice(address.lastIndexOf('@') + 1);
  return allowedDomains.some((p) => domainMatches(domain, p))
    ? undefined
    : 'is not in a mail domain this installation allows';
}
