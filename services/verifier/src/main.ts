import { runService } from '@keywatch/runtime';
import { assembleVerifier } from './assemble.ts';

await runService(
  'verifier',
  async (context) => {
    const verifier = await assembleVerifier(context);
    await verifier.app.listen({ port: context.config.VERIFIER_PORT, host: '0.0.0.0' });
    context.log.info({ url: `http://127.0.0.1:${context.config.VERIFIER_PORT}` }, 'verifier listening');
    return { stop: verifier.close };
  },
  { poolSize: 20 },
);
