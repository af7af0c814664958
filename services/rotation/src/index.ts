export { type RotationScan, rotationPolicy, runRotationScan } from './scan.ts';
