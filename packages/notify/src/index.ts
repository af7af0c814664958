export * from './address-guard.ts';
export * from './email.ts';
export * from './log-channel.ts';
export * from './notification.ts';
export * from './public-error.ts';
export * from './render.ts';
export * from './slack.ts';
export * from './webhook.ts';
