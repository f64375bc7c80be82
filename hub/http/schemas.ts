// Request schemas more than one route declares, defined once (the routes' own shapes stay in
// their routes files).
import { Type } from 'typebox';

/** A Cairo calendar day, 'YYYY-MM-DD', with a real month and day of month. */
export const Day = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$', description: 'Cairo day YYYY-MM-DD' });
