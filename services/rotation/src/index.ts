export { type RotationScan, runRotationScan } from './scan.ts';
