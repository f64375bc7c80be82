// Print the role × route matrix (Markdown) from the routes' declared access.
//   npx tsx scripts/roles-table.ts > docs/roles.md
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../hub/config.ts';
import { createContext } from '../hub/context.ts';
import { buildApp } from '../hub/app.ts';
import { accessMarkdown } from '../hub/auth/access-table.ts';
import { CentralStore } from '../hub/central/store.ts';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shubbak-roles-'));
const ctx = createContext(loadConfig({}, { dataDir, logLevel: 'silent' }), Date.now);
// With a central store, so the governorate role's routes (hub/central/routes.ts) are in the table too.
const central = new CentralStore(path.join(dataDir, 'central.db'));
const app = await buildApp(ctx, { central });
await app.ready();
process.stdout.write(accessMarkdown(app.accessTable));
await app.close();
ctx.db.close();
fs.rmSync(dataDir, { recursive: true, force: true });
