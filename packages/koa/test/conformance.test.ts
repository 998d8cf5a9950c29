// The shared conformance table (conformance/table.ts) through Koa 2 and Koa 3.
import Koa2 from 'koa2';
import Koa3 from 'koa3';
import { runConformance } from '../../../conformance/run.js';
import { koaDriver } from './driver.js';

runConformance(koaDriver('koa@2', Koa2));
runConformance(koaDriver('koa@3', Koa3));
