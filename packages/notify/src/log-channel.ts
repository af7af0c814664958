import type { Logger } from '@keywatch/log';
import type { ChannelSender } from './notification.ts';

/** With no Slack and no SMTP configured, notifications become one structured log line each. */
export const logSender = (log: Logger): ChannelSender => ({
  async send(n) {
    log.warn({ notification: { title: n.title, severity: n.severity, fields: n.fields } }, n.summary);
    return {};
  },
});
