import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  // One file per area of the product; schema.ts holds the foundation.
  schema: [
    './src/db/schema.ts',
    './src/db/schema.handoff.ts',
    './src/db/schema.revenue.ts',
    './src/db/schema.notifications.ts',
    './src/db/schema.analytics.ts',
  ],
  out: './src/db/migrations',
});
