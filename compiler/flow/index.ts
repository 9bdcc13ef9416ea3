// The flow document: its schema, {{templates}}, loading, validation and graph helpers.
// The designer, the compiler and the CLI import flows only through here.
export * from './schema';
export * from './templates';
export * from './problems';
export * from './load';
export * from './graph';
export * from './validate';
export { busyLoopProblems, waitsForCaller } from './cycles';
export * from './answer';
// layout.ts (ELK's layered layout) is imported directly by the designer's Layout command and the importer,
// so that loading or validating a flow never loads ELK.
