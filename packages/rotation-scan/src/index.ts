export { lastScanAt, type RotationScan, rotationPolicy, runRotationScan } from './scan.ts';
