import { WebAPIHTTPError, WebAPIPlatformError, WebAPIRequestError } from '@slack/web-api';
import { PermanentDeliveryError, RetryLaterError } from './notification.ts';

type Failure = { code?: string; responseCode?: number; command?: string; name?: string; cause?: unknown };

// Slack's own error codes (channel_not_found, not_in_channel…) tell a tenant what to fix.
const SLACK_CODE = /^[a-z_]{1,60}$/;
const TIMEOUTS = new Set([
  'ETIMEDOUT',
  'ECONNABORTED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);
const timedOut = (err: Failure) =>
  err.name === 'TimeoutError' ||
  TIMEOUTS.has(err.code ?? '') ||
  TIMEOUTS.has((err.cause as Failure)?.code ?? '');

function slackProblem(err: unknown): string {
  if (err instanceof WebAPIPlatformError)
    return `slack: ${SLACK_CODE.test(err.data.error) ? err.data.error : 'error'}`;
  if (err instanceof WebAPIHTTPError) return `slack: ${err.statusCode} from Slack`;
  if (err instanceof WebAPIRequestError)
    return timedOut(err.original as Failure) ? 'slack: request timed out' : 'slack: could not reach Slack';
  return 'slack: sending failed';
}

function smtpProblem(err: Failure): string {
  const { code, responseCode, command = '' } = err;
  if (responseCode !== undefined) {
    if (command.startsWith('RCPT')) return `smtp: recipient refused (${responseCode})`;
    if (command.startsWith('MAIL')) return `smtp: sender refused (${responseCode})`;
    if (command.startsWith('AUTH')) return `smtp: authentication failed (${responseCode})`;
    return `smtp: the mail server answered ${responseCode}`;
  }
  if (timedOut(err)) return 'smtp: timed out';
  if (code === 'EAUTH') return 'smtp: authentication failed';
  if (code === 'EENVELOPE') return 'smtp: recipient refused';
  return 'smtp: could not connect to the mail server';
}

function webhookProblem(err: Failure & { message?: string }): string {
  // The receiver's status is the one thing of the receiver a tenant sees.
  if (/^webhook: \d{3} from the receiver$/.test(err.message ?? '')) return err.message!;
  return timedOut(err) ? 'webhook: timed out' : 'webhook: could not connect to the receiver';
}

/**
 * What a tenant may read about a failed delivery (its `error` in `GET /api/alerts`): what went
 * wrong, never the installation's host names, addresses, ports or a server's own words. The full
 * error is the operator's, in the log. Messages keywatch wrote itself (a delivery error without a
 * cause) are shown as they are.
 */
export function publicDeliveryError(channel: string, err: unknown): string {
  const ours = err instanceof PermanentDeliveryError || err instanceof RetryLaterError;
  if (ours && err.cause === undefined) return err.message;
  const original = (ours ? err.cause : err) as Failure;
  if (channel === 'slack') return slackProblem(original);
  if (channel === 'email') return smtpProblem(original ?? {});
  if (channel === 'webhook') return webhookProblem(original ?? {});
  return `${channel}: sending failed`;
}
