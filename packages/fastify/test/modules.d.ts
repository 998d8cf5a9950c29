// fastify5 is fastify@5 installed under an alias (fastify4 ships its own types).
declare module 'fastify5' {
  export { default } from 'fastify';
  export * from 'fastify';
}
