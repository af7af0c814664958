import type { BlockList } from 'node:net';
import type { Config } from '@keywatch/config';
import { networkList, webhookUrlProblem } from '@keywatch/notify';
import {
  type AlertDestinations,
  type AlertSettings,
  type DestinationPolicy,
  destinationPolicy,
  emailProblem,
  slackChannelProblem,
} from '@keywatch/rules';

function destinationsProblems(
  at: string,
  named: AlertDestinations | undefined,
  policy: DestinationPolicy,
  webhookNetworks: BlockList,
) {
  const problems: string[] = [];
  const webhook = named?.webhook && webhookUrlProblem(named.webhook, webhookNetworks);
  if (webhook) problems.push(`${at}.webhook: ${webhook}`);
  const slack = named?.slack && slackChannelProblem(named.slack, policy.slackChannels);
  if (slack) problems.push(`${at}.slack: ${slack}`);
  named?.email?.forEach((address, i) => {
    const problem = emailProblem(address, policy.emailDomains);
    if (problem) problems.push(`${at}.email.${i}: ${problem}`);
  });
  return problems;
}

/** What the destination policy reads of the configuration. */
export type DestinationConfig = Pick<
  Config,
  'ALERT_SLACK_CHANNELS_ALLOWED' | 'ALERT_EMAIL_DOMAINS_ALLOWED' | 'WEBHOOK_ALLOWED_NETWORKS'
>;

/**
 * "field: what is wrong" for every destination a tenant asks for that this installation does not
 * let tenants reach; empty when all are allowed. Answered as a 400 invalid_request.
 */
export function destinationProblems(
  input: { alerts?: AlertSettings | null; ownerEmail?: string | null },
  config: DestinationConfig,
): string[] {
  const policy = destinationPolicy(config);
  const webhookNetworks = networkList(config.WEBHOOK_ALLOWED_NETWORKS);
  const channels = input.alerts?.channels;
  const owner = input.ownerEmail && emailProblem(input.ownerEmail, policy.emailDomains);
  return [
    ...destinationsProblems('alerts.channels', channels, policy, webhookNetworks),
    ...destinationsProblems('alerts.channels.security', channels?.security, policy, webhookNetworks),
    ...(owner ? [`ownerEmail: ${owner}`] : []),
  ];
}
