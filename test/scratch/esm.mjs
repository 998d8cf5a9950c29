import { createRequire } from 'node:module';
import * as core from '@hookproof/core';

const require = createRequire(import.meta.url);
const result = await require('./run-checks.cjs')(core, require('./deliveries.cjs'));
result.resolved = import.meta.resolve('@hookproof/core');
console.log(JSON.stringify(result));
