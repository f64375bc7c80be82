// Verify the audit trail's hash chain of a hub database.
//   tsx scripts/audit-verify.ts [path/to/shubbak.db]   (default: $SHUBBAK_DATA_DIR/shubbak.db or data/shubbak.db)
// Exit 0 when intact, 1 when an entry was changed, removed or reordered, 2 on a usage error.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { verifyAuditTable } from '../hub/services/audit.ts';

const file = process.argv[2] ?? path.join(process.env.SHUBBAK_DATA_DIR || 'data', 'shubbak.db');
if (!fs.existsSync(file)) {
  console.error(`no database at ${file}`);
  process.exit(2);
}
const db = new Database(file, { readonly: true, fileMustExist: true });
try {
  const v = verifyAuditTable(db);
  if (v.ok) {
    console.log(`audit chain intact: ${v.count} events, last hash ${v.lastHash}`);
    process.exit(0);
  }
  console.error(`audit chain BROKEN at event ${v.brokenAt} (${v.reason}); ${v.count} events before it verify`);
  process.exit(1);
} finally {
  db.close();
}
