import { freePort } from '@keywatch/infra';
import { createQueues } from '@keywatch/jobs';
import { createTestContext, FakeSlack, type ServiceProcess, SmtpSink, startService } from '@keywatch/testkit';

/**
 * The whole pipeline as users run it: four service processes on real Kafka, Redis and Postgres,
 * Slack faked at its HTTP API (reached through the real Slack client), email to an SMTP server in
 * process. `stop` answers each service's exit code (0: stopped cleanly on SIGTERM).
 */
export async function startPipeline(name: string) {
  const slack = await new FakeSlack().start();
  const mail = await new SmtpSink().start();
  const [verifier, aggregator, alerter, rotation] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const ctx = await createTestContext(name, {
    SLACK_BOT_TOKEN: 'xoxb-e2e-token',
    SLACK_CHANNEL: '#api-key-alerts',
    SLACK_API_URL: slack.url,
    SMTP_URL: mail.url,
    ALERT_EMAIL_TO: 'security@example.com',
    VERIFIER_PORT: String(verifier),
    AGGREGATOR_PORT: String(aggregator),
    ALERTER_PORT: String(alerter),
    ROTATION_PORT: String(rotation),
  });
  const queues = createQueues(ctx.config);
  const ports = { verifier, aggregator, alerter, rotation } as const;
  const services: ServiceProcess[] = await Promise.all(
    (Object.keys(ports) as (keyof typeof ports)[]).map((service) =>
      startService(service, ctx.env, ports[service]),
    ),
  );
  return {
    ctx,
    env: ctx.env,
    slack,
    mail,
    queues,
    verifierUrl: `http://127.0.0.1:${verifier}`,
    async stop(): Promise<(number | null)[]> {
      const codes = await Promise.all(services.map((s) => s.stop()));
      await queues.close();
      await slack.stop();
      await mail.stop();
      await ctx.close();
      return codes;
    },
  };
}
export type Pipeline = Awaited<ReturnType<typeof startPipeline>>;
