import { alertSettingsSchema } from '@keywatch/rules';
import { z } from 'zod';

export const orgAlertSettingsSchema = z
  .strictObject({
    alerts: alertSettingsSchema.nullable().describe('The org’s defaults; null: none (the installation’s)'),
  })
  .meta({
    id: 'OrgAlertSettings',
    description: 'The org’s default alert settings, which each key’s own settings override field by field',
    examples: [
      {
        alerts: {
          unusualActivity: true,
          highUsage: { threshold: 10000, period: 'daily' },
          failures: { threshold: 100, period: 'hourly' },
          channels: { slack: '#security', email: ['secops@example.com'] },
        },
      },
    ],
  });
