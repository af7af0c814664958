import { loadConfig } from '@keywatch/config';
import { migrate } from '@keywatch/db';

export async function migrateCommand(): Promise<number> {
  const config = loadConfig();
  await migrate(config.DATABASE_URL);
  console.log('database migrated');
  return 0;
}
