// Where protocol/validate.ts gets the checker of a schema: from source (the hub, the tests,
// anything run under tsx) typebox's Compile, once per schema. The built device programs do
// not carry typebox (issue 10: memory, ~3 MB resident per program): scripts/build-schemas.ts
// puts in their bundles, in place of this module, one with the same checkerFor() whose checkers
// are typebox's own generated code (Code()), precompiled at build time for each schema the
// protocol's modules export, and whose errors come from typebox's reporter, loaded on the
// first failure only. Same accept/reject decisions, same error paths and messages
// (tests/unit/schema-check.test.ts compares the two on every schema).
import { Compile } from 'typebox/compile';
import type { TSchema } from 'typebox';

export type SchemaError = { path: string; message: string };
export type Checker = {
  /** Does the value fit the schema? */
  check(value: unknown): boolean;
  /** Why not: every mismatch (path "/" for the value itself), empty when it fits. */
  errors(value: unknown): SchemaError[];
};

const checkers = new Map<TSchema, Checker>();

/** The checker of a schema, compiled on its first use. */
export function checkerFor(schema: TSchema): Checker {
  let c = checkers.get(schema);
  if (!c) {
    const v = Compile(schema);
    c = {
      check: (value) => v.Check(value),
      errors: (value) => [...v.Errors(value)].map((e) => ({ path: e.instancePath || '/', message: e.message })),
    };
    checkers.set(schema, c);
  }
  return c;
}
