// Runs a domain operation for a route: a DomainError becomes an ApiError with the same code.
import { DomainError } from '../domain/errors.ts';
import { fromDomainCode } from './errors.ts';

export function runDomain<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof DomainError) throw fromDomainCode(err.code, err.message);
    throw err;
  }
}
