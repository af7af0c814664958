import { freePort } from '@keywatch/infra';
import { type FakeSlack, type ServiceProcess, startService } from '@keywatch/testkit';

/** The verifier, aggregator and alerter as processes, alerting to a fake Slack. */
export async function startPipeline(
  env: Record<string, string>,
  groupId: string,
  slack: FakeSlack,
  extraEnv: Record<string, string> = {},
) {
  const ports = { verifier: await freePort(), aggregator: await freePort(), alerter: await freePort() };
  const serviceEnv = {
    ...env,
    KAFKA_GROUP_ID: groupId,
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_CHANNEL: '#bench',
    SLACK_API_URL: slack.url,
    VERIFIER_PORT: String(ports.verifier),
    AGGREGATOR_PORT: String(ports.aggregator),
    ALERTER_PORT: String(ports.alerter),
    ...extraEnv,
  };
  const services: ServiceProcess[] = [];
  const stop = async () => {
    for (const service of services.reverse()) await service.stop();
  };
  try {
    for (const name of ['verifier', 'aggregator', 'alerter'] as const)
      services.push(await startService(name, serviceEnv, ports[name]));
  } catch (err) {
    await stop();
    throw err;
  }
  /** `GET /v1/auth` with a key, as a gateway would ask. */
  const auth = (secret: string) =>
    fetch(`http://127.0.0.1:${ports.verifier}/v1/auth?scope=chat`, {
      headers: { authorization: `Bearer ${secret}` },
    });
  return { auth, stop };
}
