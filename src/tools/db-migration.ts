/** `npm run db:migration -- <name>`: writes the SQL that brings prisma/migrations up to schema.prisma. */
import { createMigration } from '../db/migrations.ts';

const name = process.argv[2];
if (!name) {
  console.error('Usage: npm run db:migration -- <snake_case_name>   (e.g. npm run db:migration -- add_reports)');
  process.exit(2);
}
try {
  const file = await createMigration(name);
  console.log(file ? `Wrote ${file}` : 'schema.prisma and prisma/migrations already agree: no migration written.');
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
