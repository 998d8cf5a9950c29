// express5 is express@5 installed under an alias; its types are @types/express (v5).
declare module 'express5' {
  export { default } from 'express';
  export * from 'express';
}
