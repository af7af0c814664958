import { createTransport } from 'nodemailer';
import {
  type ChannelSender,
  type Notification,
  PermanentDeliveryError,
  type SendResult,
} from './notification.ts';

export interface EmailOptions {
  /** `smtp://host:port` or `smtps://user:pass@host:port` (SMTP_URL). */
  smtpUrl: string;
  from: string;
  /** Recipients when a notification names none of its own (ALERT_EMAIL_TO). */
  to: string;
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

export function emailBodies(n: Notification): { subject: string; text: string; html: string } {
  const rows = n.fields.map((f) => `${f.label}: ${f.value}`).join('\n');
  return {
    // A line break in a header would start another header: a title carries tenant text.
    subject: `[keywatch ${n.severity}] ${n.title}`.replace(/[\r\n]+/g, ' '),
    text: `${n.summary}\n\n${rows}\n`,
    html: `<p>${escapeHtml(n.summary)}</p><table>${n.fields
      .map((f) => `<tr><th align="left">${escapeHtml(f.label)}</th><td>${escapeHtml(f.value)}</td></tr>`)
      .join('')}</table>`,
  };
}

/** Email through nodemailer over SMTP; a 5xx answer (refused recipient, relay denied) is permanent. */
export function emailSender({ smtpUrl, from, to }: EmailOptions): ChannelSender {
  const transport = createTransport(smtpUrl);
  return {
    async send(n, recipient?: string): Promise<SendResult> {
      try {
        const info = await transport.sendMail({ from, to: recipient ?? to, ...emailBodies(n) });
        return { externalId: info.messageId };
      } catch (err) {
        const code = (err as { responseCode?: number }).responseCode;
        if (code !== undefined && code >= 500)
          throw new PermanentDeliveryError(`smtp ${code}: ${(err as Error).message}`, { cause: err });
        throw err;
      }
    },
  };
}
