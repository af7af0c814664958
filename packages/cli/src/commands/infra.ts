import { loadConfig } from '@keywatch/config';
import { createKafka, ensureTopics } from '@keywatch/events';
import { ensureLocalKafka, kafkaAnswers, repoRoot, stopLocalKafka } from '@keywatch/infra';
import { ensureRedis, postgresAnswers, redisAnswers, requirePostgres } from '../local-services.ts';
import { UsageError } from '../usage.ts';

/** `keywatch infra up|down|status`: the local broker, kept running in the background by `up`. */
export async function infraCommand([action]: string[]): Promise<number> {
  const config = loadConfig();
  const log = (line: string) => console.error(line);
  switch (action) {
    case 'up': {
      await requirePostgres(config);
      await ensureRedis(config, true);
      await ensureLocalKafka({ root: repoRoot, brokers: config.KAFKA_BROKERS, detached: true, log });
      await ensureTopics(createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'keywatch-cli' }));
      return infraCommand(['status']);
    }
    case 'down': {
      const stopped = await stopLocalKafka(repoRoot);
      console.log(stopped ? 'kafka stopped' : 'no local kafka was running (started by `keywatch infra up`)');
      return 0;
    }
    case 'status': {
      const status = {
        kafka: { at: config.KAFKA_BROKERS.join(','), up: await kafkaAnswers(config.KAFKA_BROKERS) },
        postgres: { at: new URL(config.DATABASE_URL).host, up: await postgresAnswers(config.DATABASE_URL) },
        redis: { at: new URL(config.REDIS_URL).host, up: await redisAnswers(config.REDIS_URL) },
      };
      console.log(JSON.stringify(status, null, 2));
      return Object.values(status).every((s) => s.up) ? 0 : 1;
    }
    default:
      throw new UsageError('usage: keywatch infra up|down|status');
  }
}
