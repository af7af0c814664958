/** Where a notification can go. */
export const CHANNELS = ['slack', 'email', 'webhook', 'log'] as const;
export type Channel = (typeof CHANNELS)[number];
