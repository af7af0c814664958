#!/usr/bin/env node
// The command runs the TypeScript sources directly (tsx), like every keywatch process.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
