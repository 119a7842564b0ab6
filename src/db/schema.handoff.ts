// The hand-off between the teams: routing, the two-way SLA, sales feedback and notifications.
// Part of the data model with schema.ts; drizzle-kit reads every schema file (drizzle.config.ts).
export {};
