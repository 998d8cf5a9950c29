// Bundled by esbuild with the browser conditions, so it uses core's default build
// (Web Crypto). deliveries.json is deliveries.cjs evaluated by Node beforehand, so the
// bundle itself needs no node: module.
import * as core from '@hookproof/core';
import runChecks from './run-checks.cjs';
import deliveries from './deliveries.json';

const result = await runChecks(core, deliveries);
result.resolved = 'bundle';
console.log(JSON.stringify(result));
