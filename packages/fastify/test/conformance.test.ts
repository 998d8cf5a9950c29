// The shared conformance table (conformance/table.ts) through Fastify 4 and 5, with
// fastify.inject() and once over a real socket.
import fastify4 from 'fastify4';
import fastify5 from 'fastify5';
import { runConformance } from '../../../conformance/run.js';
import { fastifyDriver, type FastifyFactory } from './driver.js';

runConformance(fastifyDriver('fastify@4', fastify4 as unknown as FastifyFactory));
runConformance(fastifyDriver('fastify@5', fastify5 as unknown as FastifyFactory));
runConformance(fastifyDriver('fastify@5', fastify5 as unknown as FastifyFactory, 'listen'));
