// The shared conformance table (conformance/table.ts) through Express 4 and Express 5.
import express4 from 'express4';
import express5 from 'express5';
import { runConformance } from '../../../conformance/run.js';
import { expressDriver, type ExpressModule } from './driver.js';

runConformance(expressDriver('express@4', express4 as unknown as ExpressModule));
runConformance(expressDriver('express@5', express5 as unknown as ExpressModule));
